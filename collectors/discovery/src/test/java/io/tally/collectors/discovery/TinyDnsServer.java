package io.tally.collectors.discovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real DNS server on loopback UDP, just enough for SRV and A answers: the JDK's resolver talks to
 * it over the wire exactly as it would to any name server.
 */
public final class TinyDnsServer implements AutoCloseable {
    public record Srv(int port, String target) {
    }

    private final DatagramSocket socket;
    private final Map<String, List<Srv>> srv = new ConcurrentHashMap<>();
    private final Map<String, List<String>> a = new ConcurrentHashMap<>();
    private final Thread thread;
    /** While set, queries are read and never answered: a name server that hangs. */
    volatile boolean silent;

    public TinyDnsServer() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = Thread.ofPlatform().daemon().name("tiny-dns").start(this::serve);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void srv(String name, List<Srv> records) {
        srv.put(name.toLowerCase(), records);
    }

    public void a(String name, List<String> addresses) {
        a.put(name.toLowerCase(), addresses);
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                if (silent) {
                    continue;
                }
                byte[] answer = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private byte[] answer(ByteBuffer query) throws IOException {
        short id = query.getShort();
        query.position(12);
        StringBuilder name = new StringBuilder();
        int len;
        while ((len = query.get() & 0xff) != 0) {
            byte[] label = new byte[len];
            query.get(label);
            name.append(name.isEmpty() ? "" : ".").append(new String(label, java.nio.charset.StandardCharsets.US_ASCII));
        }
        int qtype = query.getShort() & 0xffff;
        query.getShort();
        int questionEnd = query.position();
        String key = name.toString().toLowerCase();

        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        int count = 0;
        boolean known = srv.containsKey(key) || a.containsKey(key);
        if (qtype == 33 && srv.containsKey(key)) {
            for (Srv record : srv.get(key)) {
                ByteArrayOutputStream rdata = new ByteArrayOutputStream();
                rdata.write(new byte[] {0, 10, 0, 5, (byte) (record.port() >> 8), (byte) record.port()});
                rdata.write(encodeName(record.target()));
                writeRecord(answers, 33, rdata.toByteArray());
                count++;
            }
        } else if (qtype == 1 && a.containsKey(key)) {
            for (String address : a.get(key)) {
                writeRecord(answers, 1, InetAddress.getByName(address).getAddress());
                count++;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(questionEnd + answers.size());
        out.putShort(id).putShort((short) (known ? 0x8180 : 0x8183)).putShort((short) 1).putShort((short) count)
                .putShort((short) 0).putShort((short) 0);
        out.put(query.array(), query.arrayOffset() + 12, questionEnd - 12);
        out.put(answers.toByteArray());
        return out.array();
    }

    private static void writeRecord(ByteArrayOutputStream out, int type, byte[] rdata) throws IOException {
        out.write(new byte[] {(byte) 0xc0, 12, 0, (byte) type, 0, 1, 0, 0, 0, 60,
            (byte) (rdata.length >> 8), (byte) rdata.length});
        out.write(rdata);
    }

    private static byte[] encodeName(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.write(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(1000);
    }
}
