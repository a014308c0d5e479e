package dev.bulwark.examples;

/** The runnable tour; filled in with the circuit breaker. */
public final class Tour {
  private Tour() {}

  /**
   * Runs the tour.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("Bulwark tour");
  }
}
