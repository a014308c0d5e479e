package dev.bulwark.internal;

import dev.bulwark.EventListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The listeners of one policy, fixed at build time.
 *
 * <p>Policies ask {@link #wants(Class)} before creating an event, so no event is allocated for a kind nobody
 * listens to. Each listener is guarded: a listener that throws is logged once through {@link System.Logger}
 * and is still called for later events; the call that caused the event is never affected.
 *
 * @param <E> the policy's event type
 */
public final class Listeners<E> {
  private static final System.Logger LOGGER = System.getLogger("dev.bulwark");
  private static final Listeners<?> NONE = new Listeners<>(List.of());

  private final Entry<E>[] entries;

  private Listeners(List<Entry<E>> entries) {
    @SuppressWarnings("unchecked")
    Entry<E>[] array = (Entry<E>[]) entries.toArray(new Entry<?>[0]);
    this.entries = array;
  }

  /**
   * Returns an empty set of listeners.
   *
   * @param <E> the event type
   * @return no listeners
   */
  @SuppressWarnings("unchecked")
  public static <E> Listeners<E> none() {
    return (Listeners<E>) NONE;
  }

  /**
   * Tells whether anyone listens to events of {@code type}. Cheap; call before creating the event.
   *
   * @param type the concrete event class
   * @return whether an event of that class would reach a listener
   */
  public boolean wants(Class<? extends E> type) {
    for (Entry<E> entry : entries) {
      if (entry.type.isAssignableFrom(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether there are no listeners at all.
   *
   * @return whether empty
   */
  public boolean isEmpty() {
    return entries.length == 0;
  }

  /**
   * Delivers an event to each listener of its type, guarding each call.
   *
   * @param event the event
   */
  public void emit(E event) {
    for (Entry<E> entry : entries) {
      if (entry.type.isInstance(event)) {
        entry.deliver(event);
      }
    }
  }

  /**
   * Collects listeners in a builder.
   *
   * @param <E> the event type
   */
  public static final class Collector<E> {
    private final List<Entry<E>> entries = new ArrayList<>();

    /**
     * Adds a listener for events of {@code type} and its subtypes.
     *
     * @param type the event class
     * @param listener the listener
     * @param <T> the event subtype
     */
    public <T extends E> void add(Class<T> type, EventListener<? super T> listener) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(listener, "listener");
      entries.add(new Entry<>(type, listener));
    }

    /**
     * Freezes the listeners collected so far.
     *
     * @return the listeners
     */
    public Listeners<E> build() {
      return entries.isEmpty() ? none() : new Listeners<>(List.copyOf(entries));
    }
  }

  private static final class Entry<E> {
    final Class<?> type;
    final EventListener<Object> listener;
    final AtomicBoolean failedBefore = new AtomicBoolean();

    @SuppressWarnings("unchecked")
    Entry(Class<?> type, EventListener<?> listener) {
      this.type = type;
      this.listener = (EventListener<Object>) listener;
    }

    void deliver(E event) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        if (failedBefore.compareAndSet(false, true)) {
          LOGGER.log(Level.WARNING, "Bulwark event listener " + listener + " threw on " + event
              + "; the call is unaffected, and further failures of this listener are not logged", e);
        }
      }
    }
  }
}
