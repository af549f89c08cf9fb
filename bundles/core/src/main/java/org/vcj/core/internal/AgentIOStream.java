package org.vcj.core.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.vcj.api.AgentException;
import org.vcj.api.IOStream;
import org.vcj.api.agent.Agent;

/** The stdio of a process in the VM as Java streams, relayed through the agent's stream RPCs. */
final class AgentIOStream {

    private static final int CHUNK = 64 * 1024;

    private AgentIOStream() { }

    static IOStream of(Agent agent, String containerId, String processId) {
        return new IOStream(new Stdin(agent, containerId, processId),
                new Output(agent, containerId, processId, true), new Output(agent, containerId, processId, false));
    }

    private static final class Stdin extends OutputStream {
        private final Agent agent;
        private final String cid, pid;
        private boolean closed;

        Stdin(Agent agent, String cid, String pid) {
            this.agent = agent;
            this.cid = cid;
            this.pid = pid;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len > 0) agent.writeStdin(cid, pid, Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                agent.closeStdin(cid, pid);
            }
        }
    }

    private static final class Output extends InputStream {
        private final Agent agent;
        private final String cid, pid;
        private final boolean stdout;
        private byte[] buf = new byte[0];
        private int pos;
        private boolean eof;

        Output(Agent agent, String cid, String pid, boolean stdout) {
            this.agent = agent;
            this.cid = cid;
            this.pid = pid;
            this.stdout = stdout;
        }

        /** The next chunk; an exec the agent already forgot (waited for and drained) has no more output. */
        private byte[] readChunk() {
            try {
                return stdout ? agent.readStdout(cid, pid, CHUNK) : agent.readStderr(cid, pid, CHUNK);
            } catch (AgentException e) {
                if ("NOT_FOUND".equals(e.remoteCode()) && !cid.equals(pid)) return new byte[0];
                throw e;
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (pos >= buf.length) {
                if (eof) return -1;
                buf = readChunk();
                pos = 0;
                if (buf.length == 0) {
                    eof = true;
                    return -1;
                }
            }
            int n = Math.min(len, buf.length - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
