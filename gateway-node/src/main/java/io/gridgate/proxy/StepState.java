package io.gridgate.proxy;

/**
 * The key of what one kind of {@link Step} keeps for one exchange ({@link Exchange#get},
 * {@link Exchange#put}): a typed slot of the exchange, numbered once per step kind.
 */
final class StepState<T> {
  private static int kinds;
  final int slot;

  private StepState(int slot) {
    this.slot = slot;
  }

  /** A new slot; each step class makes its own once, in a static field. */
  static synchronized <T> StepState<T> create() {
    return new StepState<>(kinds++);
  }

  /** How many slots exist (the size of an exchange's states). */
  static synchronized int count() {
    return kinds;
  }
}
