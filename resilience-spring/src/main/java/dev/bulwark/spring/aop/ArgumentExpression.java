package dev.bulwark.spring.aop;

import java.lang.reflect.Method;
import java.util.Objects;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * A SpEL expression over a method's arguments, parsed once when the context starts and evaluated per call:
 * parameters by name ({@code #orderId}, with {@code -parameters}) or position ({@code #p0}, {@code #a0}),
 * and {@code #root.args}, {@code #root.method}, {@code #root.target}.
 *
 * <pre>{@code
 * ArgumentExpression key = ArgumentExpression.parse("#request.idempotencyKey", method, "@Idempotent(key)");
 * String k = key.evaluate(target, args);
 * }</pre>
 */
public final class ArgumentExpression {
  private static final SpelExpressionParser PARSER = new SpelExpressionParser();
  private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

  private final String source;
  private final Expression expression;
  private final Method method;
  private final String origin;

  private ArgumentExpression(String source, Expression expression, Method method, String origin) {
    this.source = source;
    this.expression = expression;
    this.method = method;
    this.origin = origin;
  }

  /**
   * Parses an expression.
   *
   * @param source the SpEL source
   * @param method the method whose arguments it reads
   * @param origin where it was written, for messages, such as {@code @Idempotent(key) on Foo.pay(Order)}
   * @return the parsed expression
   * @throws IllegalStateException naming the origin if the expression does not parse
   */
  public static ArgumentExpression parse(String source, Method method, String origin) {
    Objects.requireNonNull(source, "source");
    try {
      return new ArgumentExpression(source, PARSER.parseExpression(source), method, origin);
    } catch (ParseException e) {
      throw new IllegalStateException(origin + ": the expression '" + source + "' does not parse: "
          + e.getMessage(), e);
    }
  }

  /**
   * Evaluates the expression for one call.
   *
   * @param target the bean
   * @param arguments the call's arguments
   * @return the value as a string, never null
   * @throws IllegalArgumentException if the expression fails or gives null
   */
  public String evaluate(Object target, Object[] arguments) {
    MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
        new Root(method, arguments, target), method, arguments, NAMES);
    Object value;
    try {
      value = expression.getValue(context);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(origin + ": '" + source + "' failed: " + e.getMessage(), e);
    }
    if (value == null) {
      throw new IllegalArgumentException(origin + ": '" + source + "' gave null");
    }
    return value.toString();
  }

  @Override
  public String toString() {
    return source;
  }

  /** The root object of the expression: {@code #root.method}, {@code #root.args}, {@code #root.target}. */
  public static final class Root {
    private final Method method;
    private final Object[] args;
    private final Object target;

    Root(Method method, Object[] args, Object target) {
      this.method = method;
      this.args = args;
      this.target = target;
    }

    /**
     * Returns the method.
     *
     * @return the method
     */
    public Method getMethod() {
      return method;
    }

    /**
     * Returns the arguments.
     *
     * @return the arguments
     */
    public Object[] getArgs() {
      return args;
    }

    /**
     * Returns the bean.
     *
     * @return the bean
     */
    public Object getTarget() {
      return target;
    }
  }
}
