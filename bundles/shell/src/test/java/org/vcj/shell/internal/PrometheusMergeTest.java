package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrometheusMergeTest {

    @Test
    void samplesGetTheSandboxLabelAndFamiliesStayTogether() {
        PrometheusMerge m = new PrometheusMerge();
        String agent = """
                # HELP guest_load Load average.
                # TYPE guest_load gauge
                guest_load{period="1m"} 0.5
                guest_load{period="5m"} 0.25
                # HELP agent_rpcs_total RPCs served.
                # TYPE agent_rpcs_total counter
                agent_rpcs_total 7
                """;
        m.add("a", agent);
        m.add("b", agent.replace("0.5", "1.5").replace(" 7", " 9"));
        m.own("vcj_monitor_skipped_total", "counter", "Skipped.", "vcj_monitor_skipped_total 1");
        assertEquals("""
                # HELP guest_load Load average.
                # TYPE guest_load gauge
                guest_load{sandbox_id="a",period="1m"} 0.5
                guest_load{sandbox_id="a",period="5m"} 0.25
                guest_load{sandbox_id="b",period="1m"} 1.5
                guest_load{sandbox_id="b",period="5m"} 0.25
                # HELP agent_rpcs_total RPCs served.
                # TYPE agent_rpcs_total counter
                agent_rpcs_total{sandbox_id="a"} 7
                agent_rpcs_total{sandbox_id="b"} 9
                # HELP vcj_monitor_skipped_total Skipped.
                # TYPE vcj_monitor_skipped_total counter
                vcj_monitor_skipped_total 1
                """, m.text());
    }

    @Test
    void aSampleThatNamesItsSandboxKeepsItsLabels() {
        PrometheusMerge m = new PrometheusMerge();
        m.add("a", "vcj_hypervisor_pss_bytes{sandbox_id=\"a\",pid=\"7\"} 1024\n");
        assertEquals("vcj_hypervisor_pss_bytes{sandbox_id=\"a\",pid=\"7\"} 1024\n", m.text());
    }

    @Test
    void histogramSuffixesStayInTheirFamilyAndQuotesAreEscaped() {
        PrometheusMerge m = new PrometheusMerge();
        m.add("x\"y", "# TYPE rpc_seconds histogram\nrpc_seconds_bucket{le=\"1\"} 2\nrpc_seconds_sum 0.3\nrpc_seconds_count 2\n");
        assertEquals("# TYPE rpc_seconds histogram\nrpc_seconds_bucket{sandbox_id=\"x\\\"y\",le=\"1\"} 2\n"
                + "rpc_seconds_sum{sandbox_id=\"x\\\"y\"} 0.3\nrpc_seconds_count{sandbox_id=\"x\\\"y\"} 2\n", m.text());
    }

    @Test
    void listenAddressIsCheckedBeforeAnythingStarts() {
        assertEquals(8090, MonitorVerb.address("127.0.0.1:8090").getPort());
        assertEquals("::1", MonitorVerb.address("[::1]:0").getAddress().getHostAddress().replace("0:0:0:0:0:0:0:1", "::1"));
        assertThrows(UsageException.class, () -> MonitorVerb.address("8090"));
        assertThrows(UsageException.class, () -> MonitorVerb.address("127.0.0.1:http"));
        assertThrows(UsageException.class, () -> MonitorVerb.address("127.0.0.1:70000"));
    }
}
