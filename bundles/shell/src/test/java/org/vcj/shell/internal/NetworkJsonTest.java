package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vcj.api.IPAddress;
import org.vcj.api.Interface;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.Route;

class NetworkJsonTest {

    @Test
    void anInterfaceInKataShape() {
        Interface i = NetworkJson.iface(JsonText.parse("""
                {"device":"eth1","name":"eth1","IPAddresses":[{"family":0,"address":"198.51.100.2","mask":"24"},
                 {"family":10,"address":"2001:db8::2","mask":"64"}],"mtu":1400,"hwAddr":"02:00:00:00:00:01"}"""));
        assertEquals(new Interface("eth1", "eth1", List.of(new IPAddress(4, "198.51.100.2", "24"), new IPAddress(6, "2001:db8::2", "64")),
                1400, "02:00:00:00:00:01", "", "", 0), i);
        assertEquals(i, NetworkJson.iface(JsonText.parse(JsonText.write(NetworkJson.toJson(i)))), "what list-ifaces prints reads back");
    }

    @Test
    void routesAsAnArrayOrInKatasObject() {
        List<Route> want = List.of(new Route("198.51.100.128/25", "192.0.2.1", "eth0", "", 0));
        assertEquals(want, NetworkJson.routes(JsonText.parse("[{\"dest\":\"198.51.100.128/25\",\"gateway\":\"192.0.2.1\",\"device\":\"eth0\"}]")));
        assertEquals(want, NetworkJson.routes(JsonText.parse("{\"Routes\":[{\"Dest\":\"198.51.100.128/25\",\"Gateway\":\"192.0.2.1\",\"Device\":\"eth0\"}]}")));
    }

    @Test
    void badInputSaysWhatWasWrong() {
        UsageException e = assertThrows(UsageException.class, () -> JsonText.parse("{\"name\": eth1}"));
        assertTrue(e.getMessage().startsWith("bad JSON at character ") && e.getMessage().contains("eth1"), e.getMessage());
        assertThrows(UsageException.class, () -> NetworkJson.iface(JsonText.parse("[]")));
        assertThrows(UsageException.class, () -> NetworkJson.iface(JsonText.parse("{\"name\":\"eth1\",\"mtu\":\"big\"}")));
        InvalidConfigException noName = assertThrows(InvalidConfigException.class, () -> NetworkJson.iface(JsonText.parse("{\"mtu\":1500}")));
        assertTrue(noName.getMessage().contains("Interface.Name"), noName.getMessage());
        assertThrows(InvalidConfigException.class, () -> NetworkJson.routes(JsonText.parse("[{\"dest\":\"198.51.100.0/24\"}]")));
    }

    @Test
    void stringsAreEscapedBothWays() {
        assertEquals("a\"b\\c\n", JsonText.parse(JsonText.write("a\"b\\c\n")));
        assertEquals(List.of(1, 2.5, true, "x"), JsonText.parse(" [ 1 , 2.5, true , \"\\u0078\" ] "));
    }
}
