package io.gridgate.config;

import java.util.Map;

/** Reads the value a secret reference points to on this node; tests supply their own environment. */
public interface SecretResolver {
  /** The referenced value; throws IllegalArgumentException with the reason, never the value, when it cannot be read. */
  String resolve(SecretReference reference);

  /** This process's environment variables and this machine's files. */
  static SecretResolver system() {
    return new EnvironmentAndFiles(System::getenv);
  }

  /** Environment variables looked up in {@code env}; files read from this machine. */
  static SecretResolver withEnvironment(Map<String, String> env) {
    return new EnvironmentAndFiles(env::get);
  }
}
