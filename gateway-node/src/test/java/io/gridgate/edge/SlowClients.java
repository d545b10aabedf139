package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Many slow TCP clients driven by one non-blocking thread: each connects, writes {@code head},
 * then writes the next byte of {@code dribble} every {@code every} (none when {@code dribble} is
 * empty; the clients take turns in groups spread over the period), and never sends more. Each keeps the first bytes the server answers and notes when the
 * server closed (or reset) its connection.
 */
final class SlowClients implements Attack {
  private static final int ANSWER_KEPT = 256;
  /** The clients dribble in this many groups, one group after the other within each period. */
  private static final int DRIBBLE_SLICES = 10;

  /** One slow client's socket and what it saw. */
  private static final class Client {
    final SocketChannel channel;
    final long connectedAt = System.nanoTime();
    volatile String answer = "";
    int dribbled;
    volatile Duration closedAfter;

    Client(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private final InetSocketAddress target;
  private final int count;
  private final byte[] head;
  private final byte[] dribble;
  private final Duration every;
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final CountDownLatch connected = new CountDownLatch(1);
  private final Thread thread;
  private final Selector selector;
  private volatile boolean stopped;
  private volatile String failure;
  private volatile boolean underWayOnceAnswered;

  private SlowClients(int port, int count, byte[] head, byte[] dribble, Duration every) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.count = count;
    this.head = head;
    this.dribble = dribble;
    this.every = every;
    this.selector = Selector.open();
    this.thread = new Thread(this::drive, "slow-clients-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  /** {@code count} clients that each send {@code head}, then one byte of {@code dribble} every {@code every}. */
  static SlowClients start(int port, int count, String head, String dribble, Duration every) {
    try {
      return new SlowClients(port, count, head.getBytes(StandardCharsets.ISO_8859_1),
          dribble.getBytes(StandardCharsets.ISO_8859_1), every);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code count} clients that each send {@code head} and then nothing. */
  static SlowClients start(int port, int count, String head) {
    return start(port, count, head, "", Duration.ofSeconds(1));
  }

  private void drive() {
    try {
      for (int i = 0; i < count; i++) {
        SocketChannel channel = SocketChannel.open();
        channel.bind(SOURCE);
        channel.connect(target);
        channel.configureBlocking(false);
        Client client = new Client(channel);
        clients.add(client);
        channel.write(ByteBuffer.wrap(head));
        channel.register(selector, SelectionKey.OP_READ, client);
      }
      connected.countDown();
      ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
      long slice = every.toNanos() / DRIBBLE_SLICES;
      long nextDribble = System.nanoTime() + slice;
      for (int tick = 0; !stopped; ) {
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextDribble - System.nanoTime())));
        for (SelectionKey key : selector.selectedKeys()) {
          read((Client) key.attachment(), buffer);
        }
        selector.selectedKeys().clear();
        if (System.nanoTime() - nextDribble >= 0) {
          dribbleOneByte(tick++ % DRIBBLE_SLICES);
          nextDribble = System.nanoTime() + slice;
        }
      }
    } catch (IOException e) {
      failure = e.toString();
    } finally {
      connected.countDown();
      for (Client client : clients) {
        closeQuietly(client.channel);
      }
      closeQuietly(selector);
    }
  }

  private void read(Client client, ByteBuffer buffer) {
    buffer.clear();
    try {
      int n = client.channel.read(buffer);
      if (n < 0) {
        closed(client);
        return;
      }
      int keep = Math.min(n, ANSWER_KEPT - client.answer.length());
      if (keep > 0) {
        client.answer += new String(buffer.array(), 0, keep, StandardCharsets.ISO_8859_1);
      }
    } catch (IOException reset) {
      closed(client);
    }
  }

  /** Writes the next dribble byte of every client in {@code slice} (the clients take turns, not all at once). */
  private void dribbleOneByte(int slice) {
    for (int i = slice; i < clients.size(); i += DRIBBLE_SLICES) {
      Client client = clients.get(i);
      if (client.closedAfter == null && client.dribbled < dribble.length) {
        try {
          client.channel.write(ByteBuffer.wrap(dribble, client.dribbled, 1));
          client.dribbled++;
        } catch (IOException e) {
          closed(client);
        }
      }
    }
  }

  private void closed(Client client) {
    client.closedAfter = Duration.ofNanos(System.nanoTime() - client.connectedAt);
    client.channel.keyFor(selector).cancel();
    closeQuietly(client.channel);
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /**
   * Makes {@link #awaitUnderWay} wait until every client has been answered (or closed) too: for
   * clients whose head is a whole request and whose attack is the idle connection it leaves.
   */
  SlowClients underWayOnceAnswered() {
    underWayOnceAnswered = true;
    return this;
  }

  @Override
  public void awaitUnderWay() {
    try {
      if (!connected.await(20, TimeUnit.SECONDS) || failure != null) {
        throw new AssertionError("slow clients not connected: " + failure);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (underWayOnceAnswered && !Attack.waitUntil(
        () -> clients.stream().allMatch(c -> !c.answer.isEmpty() || c.closedAfter != null), Duration.ofSeconds(20))) {
      throw new AssertionError("slow clients not answered within 20 s: " + summary());
    }
  }

  /**
   * Asserts that the server closed every client within {@code within} of its connect, each after
   * a first answer line that {@code firstLine} accepts ({@code ""} when it answered nothing).
   */
  void assertAllClosedWithin(Duration within, Predicate<String> firstLine, String expected) {
    Attack.waitUntil(() -> clients.stream().allMatch(c -> c.closedAfter != null), within);
    Duration slowest = slowestClose();
    assertTrue(slowest != null && slowest.compareTo(within) <= 0, "not all closed within " + within + ": " + summary());
    for (String line : firstLines().keySet()) {
      assertTrue(firstLine.test(line), "answered '" + line + "', expected " + expected + ": " + summary());
    }
  }

  /** The longest any client lived before the server closed it (null if one is still open). */
  Duration slowestClose() {
    Duration slowest = Duration.ZERO;
    for (Client client : clients) {
      Duration after = client.closedAfter;
      if (after == null) {
        return null;
      }
      slowest = after.compareTo(slowest) > 0 ? after : slowest;
    }
    return slowest;
  }

  /** How many clients saw each first answer line ({@code ""} for none) before their connection ended. */
  Map<String, Integer> firstLines() {
    Map<String, Integer> lines = new TreeMap<>();
    for (Client client : clients) {
      String answer = client.answer;
      int end = answer.indexOf("\r\n");
      lines.merge(end < 0 ? answer : answer.substring(0, end), 1, Integer::sum);
    }
    return lines;
  }

  @Override
  public String summary() {
    long closed = clients.stream().filter(c -> c.closedAfter != null).count();
    return "clients=" + clients.size() + " closed=" + closed + " slowest close=" + slowestClose() + " answers=" + firstLines();
  }

  @Override
  public void close() {
    stopped = true;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
