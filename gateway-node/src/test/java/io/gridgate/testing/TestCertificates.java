package io.gridgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificate authorities and EC P-256 certificates issued by them, made with the
 * {@code openssl} command in a test's temporary directory: PEM files (PKCS#8 keys) and PKCS#12.
 */
public final class TestCertificates {
  private final Path dir;

  /** A certificate with its key, both PEM. */
  public record Issued(Path cert, Path key) {}

  public TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A self-signed CA named {@code name}; its files are {@code name.pem} and {@code name.key}. */
  public Issued authority(String name) {
    Issued ca = new Issued(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", ca.key().toString(), "-out", ca.cert().toString(), "-days", "2", "-subj", "/CN=" + name);
    return ca;
  }

  /**
   * A certificate for {@code subject} (such as {@code /O=Acme/CN=orders}) signed by {@code ca},
   * valid for the {@code subjectAltName} entries {@code san} (such as {@code IP:127.0.0.1}).
   */
  public Issued issue(Issued ca, String name, String subject, String san) {
    Issued leaf = new Issued(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    try {
      Files.writeString(ext, "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth,clientAuth\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", leaf.key().toString(), "-out", csr.toString(), "-subj", subject);
    run("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
        "-set_serial", Long.toString(System.nanoTime()), "-out", leaf.cert().toString(), "-days", "2",
        "-extfile", ext.toString());
    return leaf;
  }

  /** {@code issued} as a PKCS#12 store protected by {@code password}. */
  public Path pkcs12(Issued issued, String password) {
    Path store = dir.resolve(issued.cert().getFileName() + ".p12");
    run("pkcs12", "-export", "-in", issued.cert().toString(), "-inkey", issued.key().toString(),
        "-out", store.toString(), "-passout", "pass:" + password);
    return store;
  }

  private void run(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + command + "\n" + Files.readString(dir.resolve("openssl.log")));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
