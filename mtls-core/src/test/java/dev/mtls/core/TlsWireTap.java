package dev.mtls.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on 127.0.0.1 in front of a TLS server that keeps the first bytes of each
 * connection in both directions and reads the plaintext TLS 1.3 handshake from them: the
 * groups a client offers ({@code supported_groups}, {@code key_share}) and the group the
 * server chose (the {@code key_share} of its ServerHello, after a HelloRetryRequest if there
 * was one). What the wire says, whatever either provider's API exposes.
 */
final class TlsWireTap implements AutoCloseable {
  /** Enough for the hellos: a hybrid key share is about 1.2 KB. */
  private static final int KEPT_BYTES = 64 * 1024;
  private static final int HANDSHAKE = 22;
  private static final int CHANGE_CIPHER_SPEC = 20;
  private static final int SUPPORTED_GROUPS = 10;
  private static final int KEY_SHARE = 51;
  private static final byte[] HELLO_RETRY_RANDOM = HexFormat.of()
      .parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
  private static final Map<Integer, String> GROUP_NAMES = Map.ofEntries(
      Map.entry(0x11ec, "X25519MLKEM768"), Map.entry(0x11eb, "SecP256r1MLKEM768"),
      Map.entry(0x11ed, "SecP384r1MLKEM1024"), Map.entry(0x001d, "x25519"), Map.entry(0x001e, "x448"),
      Map.entry(0x0017, "secp256r1"), Map.entry(0x0018, "secp384r1"), Map.entry(0x0019, "secp521r1"),
      Map.entry(0x0100, "ffdhe2048"), Map.entry(0x0101, "ffdhe3072"), Map.entry(0x0102, "ffdhe4096"),
      Map.entry(0x0103, "ffdhe6144"), Map.entry(0x0104, "ffdhe8192"));

  private final ServerSocket listener;
  private final int targetPort;
  private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  TlsWireTap(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "wire-tap");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The next connection relayed, waiting up to 10 seconds for its client to connect. */
  Connection nextConnection() throws InterruptedException {
    Connection connection = connections.poll(10, TimeUnit.SECONDS);
    if (connection == null) {
      throw new AssertionError("no connection reached the wire tap within 10 s");
    }
    return connection;
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setSoTimeout(10_000);
        server.setSoTimeout(10_000);
        Connection connection = new Connection(client, server);
        connections.add(connection);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One relayed connection: the bytes each side sent, as far as kept. */
  static final class Connection {
    private final Pump fromClient;
    private final Pump fromServer;

    Connection(Socket client, Socket server) throws IOException {
      fromClient = new Pump(client, server);
      fromServer = new Pump(server, client);
      fromClient.start();
      fromServer.start();
    }

    /** The groups of the client's first ClientHello's supported_groups extension, in its order. */
    List<String> offeredGroups() throws InterruptedException {
      return groupList(extension(firstMessage(fromClient.bytes(), 1), SUPPORTED_GROUPS, true), 2);
    }

    /** The groups the client's first ClientHello carries key shares for, in its order. */
    List<String> keyShareGroups() throws InterruptedException {
      ByteBuffer shares = extension(firstMessage(fromClient.bytes(), 1), KEY_SHARE, true);
      List<String> groups = new ArrayList<>();
      shares.getShort();
      while (shares.hasRemaining()) {
        groups.add(name(shares.getShort() & 0xffff));
        int keyLength = shares.getShort() & 0xffff;
        shares.position(shares.position() + keyLength);
      }
      return groups;
    }

    /** Whether the server answered the first ClientHello with a HelloRetryRequest. */
    boolean helloRetried() throws InterruptedException {
      return serverHellos().size() > 1;
    }

    /** The group of the server's (last) ServerHello key_share: the group negotiated. */
    String negotiatedGroup() throws InterruptedException {
      List<ByteBuffer> hellos = serverHellos();
      ByteBuffer share = extension(hellos.get(hellos.size() - 1), KEY_SHARE, false);
      return name(share.getShort() & 0xffff);
    }

    private List<ByteBuffer> serverHellos() throws InterruptedException {
      List<ByteBuffer> hellos = new ArrayList<>();
      for (ByteBuffer message : handshakeMessages(fromServer.bytes())) {
        if ((message.get(0) & 0xff) == 2) {
          hellos.add(message);
          byte[] random = new byte[32];
          message.duplicate().position(6).get(random);
          if (!java.util.Arrays.equals(random, HELLO_RETRY_RANDOM)) {
            break;
          }
        }
      }
      if (hellos.isEmpty()) {
        throw new AssertionError("the server sent no ServerHello");
      }
      return hellos;
    }
  }

  /** Copies one direction and keeps its first bytes; done when that side closes. */
  private static final class Pump extends Thread {
    private final Socket from;
    private final Socket to;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    Pump(Socket from, Socket to) {
      super("wire-tap-pump");
      setDaemon(true);
      this.from = from;
      this.to = to;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (kept) {
            kept.write(buffer, 0, Math.min(n, Math.max(0, KEPT_BYTES - kept.size())));
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side closed, or the timeout: what was kept is what was seen
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // closing both is all that is left to do
        }
        done.countDown();
      }
    }

    /** The kept bytes, once this direction has ended (at most 10 s from now). */
    byte[] bytes() throws InterruptedException {
      if (!done.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the relayed connection did not end within 10 s");
      }
      synchronized (kept) {
        return kept.toByteArray();
      }
    }
  }

  /** The plaintext handshake messages at the start of a stream, up to the first encrypted record. */
  private static List<ByteBuffer> handshakeMessages(byte[] stream) {
    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    ByteBuffer records = ByteBuffer.wrap(stream);
    while (records.remaining() >= 5) {
      int type = records.get() & 0xff;
      records.getShort();
      int length = records.getShort() & 0xffff;
      if (type == CHANGE_CIPHER_SPEC) {
        records.position(records.position() + Math.min(length, records.remaining()));
        continue;
      }
      if (type != HANDSHAKE || length > records.remaining()) {
        break;
      }
      handshake.write(stream, records.position(), length);
      records.position(records.position() + length);
    }
    List<ByteBuffer> messages = new ArrayList<>();
    ByteBuffer all = ByteBuffer.wrap(handshake.toByteArray());
    while (all.remaining() >= 4) {
      int start = all.position();
      int length = ((all.get(start + 1) & 0xff) << 16) | ((all.get(start + 2) & 0xff) << 8) | (all.get(start + 3) & 0xff);
      if (4 + length > all.remaining()) {
        break;
      }
      messages.add(ByteBuffer.wrap(all.array(), start, 4 + length).slice());
      all.position(start + 4 + length);
    }
    return messages;
  }

  private static ByteBuffer firstMessage(byte[] stream, int type) {
    for (ByteBuffer message : handshakeMessages(stream)) {
      if ((message.get(0) & 0xff) == type) {
        return message;
      }
    }
    throw new AssertionError("no handshake message of type " + type + " in " + stream.length + " bytes");
  }

  /** The body of an extension of a ClientHello or ServerHello. */
  private static ByteBuffer extension(ByteBuffer hello, int extensionType, boolean clientHello) {
    ByteBuffer b = hello.duplicate();
    b.position(4 + 2 + 32); // header, legacy_version, random
    b.position(b.position() + 1 + (b.get(b.position()) & 0xff)); // session id
    if (clientHello) {
      b.position(b.position() + 2 + (b.getShort(b.position()) & 0xffff)); // cipher suites
      b.position(b.position() + 1 + (b.get(b.position()) & 0xff)); // compression methods
    } else {
      b.position(b.position() + 2 + 1); // cipher suite, compression method
    }
    int end = b.position() + 2 + (b.getShort() & 0xffff);
    while (b.position() < end) {
      int type = b.getShort() & 0xffff;
      int length = b.getShort() & 0xffff;
      if (type == extensionType) {
        return ByteBuffer.wrap(b.array(), b.arrayOffset() + b.position(), length).slice();
      }
      b.position(b.position() + length);
    }
    throw new AssertionError("the hello has no extension " + extensionType);
  }

  private static List<String> groupList(ByteBuffer body, int lengthBytes) {
    int length = lengthBytes == 2 ? body.getShort() & 0xffff : body.get() & 0xff;
    List<String> groups = new ArrayList<>(length / 2);
    for (int i = 0; i < length / 2; i++) {
      groups.add(name(body.getShort() & 0xffff));
    }
    return groups;
  }

  private static String name(int code) {
    return GROUP_NAMES.getOrDefault(code, String.format("0x%04x", code));
  }
}
