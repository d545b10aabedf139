package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * HTTP/2 attackers: each connection sends the preface, empty SETTINGS and a large connection
 * window, then writes one chunk of its {@link FrameSource} per {@link #TICK}, so that an attack
 * is a fixed load. A sustained flood ({@link #sustained}) reconnects {@link #RECONNECT_PAUSE}
 * after the server cut it, so the load lasts until {@link #close()}; a set of connections
 * ({@link #connections}) each send their frames once and then stay open. Unless told not to read,
 * each connection's frames are read back on a thread of its own: GOAWAY or the end of the stream
 * is the connection's cut, and the first answer of each stream (its {@code :status}, or
 * RST_STREAM and its code) is counted. A connection that does not read takes a small receive
 * buffer, so that the server's answers back up at once, as an attacker would arrange.
 */
final class H2Flood implements Attack {
  /** The frames one connection writes, chunk by chunk; null once it has nothing more to send. */
  @FunctionalInterface
  interface FrameSource {
    byte[] next();
  }

  /** How often a flooding connection writes its next chunk. */
  static final Duration TICK = Duration.ofMillis(1);
  /** How long a sustained flood waits before it reconnects after a cut: at most 100 connections a second. */
  static final Duration RECONNECT_PAUSE = Duration.ofMillis(10);

  /** How long a connection lived before the server cut it, and how (a GOAWAY and its code, or a close). */
  record Cut(Duration after, String how) {}

  private final InetSocketAddress target;
  private final Supplier<FrameSource> sources;
  private final boolean reads;
  private final boolean reconnects;
  private final List<Thread> threads = new ArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Cut> cuts = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger connectionsOpened = new AtomicInteger();
  private final AtomicLong bytesSent = new AtomicLong();
  private final CountDownLatch underWay;
  private volatile boolean stopped;

  private H2Flood(int port, int connections, boolean reads, boolean reconnects, Supplier<FrameSource> sources) {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.sources = sources;
    this.reads = reads;
    this.reconnects = reconnects;
    this.underWay = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      Thread writer = new Thread(this::writeConnections, "h2-flood-" + port + "-" + i);
      writer.setDaemon(true);
      threads.add(writer);
      writer.start();
    }
  }

  /** One connection at a time, reconnecting after each cut, until closed; {@code reads} false leaves the server's frames unread. */
  static H2Flood sustained(int port, boolean reads, Supplier<FrameSource> sources) {
    return new H2Flood(port, 1, reads, true, sources);
  }

  /** {@code count} connections at once, each reading, sending its source's frames once, never reconnecting. */
  static H2Flood connections(int port, int count, Supplier<FrameSource> sources) {
    return new H2Flood(port, count, true, false, sources);
  }

  /** A source that sends {@code chunk} over and over. */
  static Supplier<FrameSource> repeating(byte[] chunk) {
    return () -> () -> chunk;
  }

  /** A source that sends {@code chunks} once, in order. */
  static Supplier<FrameSource> once(byte[]... chunks) {
    return () -> {
      AtomicInteger next = new AtomicInteger();
      return () -> next.get() < chunks.length ? chunks[next.getAndIncrement()] : null;
    };
  }

  /** {@code times} copies of {@code frame} back to back, to write as one chunk. */
  static byte[] times(int times, byte[] frame) {
    ByteBuffer chunk = ByteBuffer.allocate(times * frame.length);
    for (int i = 0; i < times; i++) {
      chunk.put(frame);
    }
    return chunk.array();
  }

  private void writeConnections() {
    AtomicBoolean counted = new AtomicBoolean();
    Runnable markUnderWay = () -> {
      if (counted.compareAndSet(false, true)) {
        underWay.countDown();
      }
    };
    do {
      try (Socket socket = new Socket()) {
        socket.bind(SOURCE);
        socket.setTcpNoDelay(true);
        if (!reads) {
          socket.setReceiveBufferSize(4096);
        }
        socket.connect(target, 5_000);
        open.add(socket);
        connectionsOpened.incrementAndGet();
        writeConnection(socket, markUnderWay);
      } catch (IOException e) {
        if (!stopped && !reconnects) {
          cuts.add(new Cut(Duration.ZERO, "could not connect: " + e));
        }
      }
      if (reconnects) {
        GatewayFixture.sleep(RECONNECT_PAUSE.toMillis());
      }
    } while (reconnects && !stopped);
    markUnderWay.run(); // the first connection may never have got under way
  }

  private void writeConnection(Socket socket, Runnable markUnderWay) throws IOException {
    long start = System.nanoTime();
    AtomicBoolean ended = new AtomicBoolean();
    if (reads) {
      Thread reader = new Thread(() -> read(socket, start, ended), Thread.currentThread().getName() + "-reader");
      reader.setDaemon(true);
      reader.start();
    }
    OutputStream out = socket.getOutputStream();
    try {
      write(out, H2FrameClient.PREFACE);
      write(out, H2FrameClient.settings());
      write(out, H2FrameClient.windowUpdate(0, 1 << 30));
      FrameSource source = sources.get();
      long nextTick = System.nanoTime();
      for (byte[] chunk = source.next(); chunk != null && !stopped; chunk = source.next()) {
        write(out, chunk);
        markUnderWay.run();
        nextTick = Math.max(nextTick + TICK.toNanos(), System.nanoTime());
        LockSupport.parkNanos(nextTick - System.nanoTime());
      }
      markUnderWay.run();
      while (!stopped && !ended.get()) {
        GatewayFixture.sleep(50); // nothing more to send: stay connected until cut or stopped
      }
    } catch (IOException e) {
      end(ended, start, "closed");
    } finally {
      open.remove(socket);
    }
  }

  private void write(OutputStream out, byte[] bytes) throws IOException {
    out.write(bytes);
    bytesSent.addAndGet(bytes.length);
  }

  private void end(AtomicBoolean ended, long startNanos, String how) {
    if (!stopped && ended.compareAndSet(false, true)) {
      cuts.add(new Cut(Duration.ofNanos(System.nanoTime() - startNanos), how));
    }
  }

  /** Reads the server's frames: GOAWAY or the end of the stream ends the connection; counts each stream's first answer. */
  private void read(Socket socket, long start, AtomicBoolean ended) {
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    Set<Integer> seen = new HashSet<>();
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] head = new byte[9];
      while (true) {
        in.readFully(head);
        int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
        int type = head[3] & 0xff;
        int flags = head[4] & 0xff;
        int stream = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == Http2FrameTypes.GO_AWAY) {
          end(ended, start, "GOAWAY " + H2FrameClient.name(ByteBuffer.wrap(payload, 4, 4).getInt() & 0xffffffffL));
          if (reconnects) {
            socket.close(); // the attacker moves on to a new connection
          }
        } else if (type == Http2FrameTypes.RST_STREAM && seen.add(stream)) {
          answer("RST_STREAM " + H2FrameClient.name(ByteBuffer.wrap(payload).getInt() & 0xffffffffL));
        } else if (type == Http2FrameTypes.HEADERS || type == Http2FrameTypes.CONTINUATION) {
          if (type == Http2FrameTypes.HEADERS) {
            block.reset();
            block.writeBytes(H2FrameClient.headerFragment(flags, payload));
          } else {
            block.writeBytes(payload);
          }
          if ((flags & H2FrameClient.END_HEADERS) != 0) {
            Http2Headers headers = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(block.toByteArray()));
            if (headers.status() != null && seen.add(stream)) {
              answer(headers.status().toString());
            }
          }
        }
      }
    } catch (IOException | Http2Exception e) {
      end(ended, start, "closed");
    }
  }

  private void answer(String kind) {
    answers.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    answered.incrementAndGet();
  }

  @Override
  public void awaitUnderWay() {
    try {
      if (!underWay.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the flood did not get under way within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Asserts that the server cut a connection (the first, for a sustained flood) within
   * {@code within} of its start, by a GOAWAY or a close.
   */
  void assertCutWithin(Duration within) {
    Attack.waitUntil(() -> !cuts.isEmpty(), within);
    assertFalse(cuts.isEmpty(), "no connection cut within " + within + ": " + summary());
    Cut first = cuts.get(0);
    assertTrue(first.after().compareTo(within) <= 0, "cut after " + first.after() + ", more than " + within);
  }

  /** Asserts that the server cut every connection of the set within {@code within} of its start. */
  void assertEveryConnectionCutWithin(Duration within) {
    int count = threads.size();
    Attack.waitUntil(() -> cuts.size() >= count, within);
    assertEquals(count, cuts.size(), "connections cut within " + within + ": " + summary());
    for (Cut cut : cuts) {
      assertTrue(cut.after().compareTo(within) <= 0, "a connection cut after " + cut.after() + ": " + summary());
    }
  }

  /**
   * Asserts that {@code streams} streams got their first answer within {@code within}, each of a
   * kind starting with one of {@code kinds} (such as {@code "400"} or {@code "RST_STREAM"}).
   */
  void assertEveryStreamAnswered(int streams, Duration within, String... kinds) {
    Attack.waitUntil(() -> answered.get() >= streams, within);
    assertEquals(streams, answered.get(), "streams answered within " + within + ": " + summary());
    for (String kind : answers().keySet()) {
      assertTrue(Arrays.stream(kinds).anyMatch(kind::startsWith),
          "answer '" + kind + "' is none of " + Arrays.toString(kinds) + ": " + summary());
    }
  }

  /** How many streams got each kind of first answer ({@code "400"}, {@code "RST_STREAM PROTOCOL_ERROR"}...). */
  Map<String, Integer> answers() {
    Map<String, Integer> copy = new TreeMap<>();
    answers.forEach((kind, count) -> copy.put(kind, count.get()));
    return copy;
  }

  @Override
  public String summary() {
    return "connections=" + connectionsOpened.get() + " bytes=" + bytesSent.get() + " cuts=" + cuts.size()
        + (cuts.isEmpty() ? "" : " first cut " + cuts.get(0)) + " answers=" + answers();
  }

  @Override
  public void close() {
    stopped = true;
    for (Socket socket : open) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    for (Thread thread : threads) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
