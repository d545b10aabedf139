package io.gridgate.grid;

/**
 * The rule that merges two copies of one revocation ({@code {issued before, expires at}}, epoch
 * millis): their union, {max issued before, max expires at}, so a merge can only revoke more.
 */
public final class RevocationUnion {
  private RevocationUnion() {}

  /** The union of {@code current} (null: none) and {@code offered}. */
  public static long[] of(long[] current, long[] offered) {
    return current == null ? offered.clone()
        : new long[] {Math.max(current[0], offered[0]), Math.max(current[1], offered[1])};
  }
}
