package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.internal.Listeners;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListenersTest {
  sealed interface Event permits Opened, Called {}

  record Opened(String name) implements Event {}

  record Called(long nanos) implements Event {}

  @Test
  void noListenersWantNothing() {
    Listeners<Event> none = new Listeners.Collector<Event>().build();
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.wants(Opened.class)).isFalse();
    assertThat(none).isSameAs(Listeners.none());
  }

  @Test
  void deliversOnlyTheKindsEachListenerAskedFor() {
    List<Object> opened = new ArrayList<>();
    List<Object> all = new ArrayList<>();
    Listeners.Collector<Event> collector = new Listeners.Collector<>();
    collector.add(Opened.class, opened::add);
    collector.add(Event.class, all::add);
    Listeners<Event> listeners = collector.build();

    listeners.emit(new Opened("a"));
    listeners.emit(new Called(5));

    assertThat(listeners.wants(Opened.class)).isTrue();
    assertThat(listeners.wants(Called.class)).isTrue();
    assertThat(opened).containsExactly(new Opened("a"));
    assertThat(all).containsExactly(new Opened("a"), new Called(5));
  }

  @Test
  void callsWantsOnlyForKindsThatHaveAListener() {
    Listeners.Collector<Event> collector = new Listeners.Collector<>();
    collector.add(Opened.class, e -> {});
    assertThat(collector.build().wants(Called.class)).isFalse();
  }

  @Test
  void aThrowingListenerNeverStopsTheOthersAndKeepsBeingCalled() {
    AtomicInteger throwingCalls = new AtomicInteger();
    AtomicInteger healthyCalls = new AtomicInteger();
    Listeners.Collector<Event> collector = new Listeners.Collector<>();
    collector.add(Event.class, e -> {
      throwingCalls.incrementAndGet();
      throw new IllegalStateException("listener bug");
    });
    collector.add(Event.class, e -> healthyCalls.incrementAndGet());
    Listeners<Event> listeners = collector.build();

    for (int i = 0; i < 3; i++) {
      listeners.emit(new Called(i));
    }

    assertThat(throwingCalls).hasValue(3);
    assertThat(healthyCalls).hasValue(3);
  }
}
