package dev.bulwark.spring.app;

/** The dependency answered with a server error. */
public class DependencyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DependencyException(String message) {
    super(message);
  }
}
