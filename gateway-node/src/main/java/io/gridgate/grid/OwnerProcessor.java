package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;

/** An entry processor that reads the clock of the member owning the key it runs on ({@link GridClock}). */
abstract class OwnerProcessor<V, R> implements EntryProcessor<String, V, R>, HazelcastInstanceAware {
  private static final long serialVersionUID = 1L;
  private transient HazelcastInstance member;

  @Override
  public final void setHazelcastInstance(HazelcastInstance member) {
    this.member = member;
  }

  /** Now, in epoch millis, on the running member's clock. */
  final long now() {
    return GridClock.millis(member);
  }
}
