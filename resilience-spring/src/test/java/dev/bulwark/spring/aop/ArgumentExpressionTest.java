package dev.bulwark.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class ArgumentExpressionTest {
  record Order(String id, long cents) {}

  static class Payments {
    public String pay(Order order, String currency) {
      return "paid";
    }
  }

  static final Method PAY;

  static {
    try {
      PAY = Payments.class.getMethod("pay", Order.class, String.class);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  final Object[] args = {new Order("o-1", 1250), "EUR"};

  @Test
  void readsArgumentsByNameByPositionAndThroughTheRoot() {
    Payments target = new Payments();
    assertThat(ArgumentExpression.parse("#order.id()", PAY, "t").evaluate(target, args)).isEqualTo("o-1");
    assertThat(ArgumentExpression.parse("#p1", PAY, "t").evaluate(target, args)).isEqualTo("EUR");
    assertThat(ArgumentExpression.parse("#a0.cents() + ':' + #currency", PAY, "t").evaluate(target, args))
        .isEqualTo("1250:EUR");
    assertThat(ArgumentExpression.parse("#root.args[1]", PAY, "t").evaluate(target, args)).isEqualTo("EUR");
    assertThat(ArgumentExpression.parse("#root.method.name", PAY, "t").evaluate(target, args)).isEqualTo("pay");
  }

  @Test
  void aBadExpressionFailsAtParseTimeNamingWhereItWasWritten() {
    assertThatThrownBy(() -> ArgumentExpression.parse("#order.(", PAY, "@Idempotent(key) on pay"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("@Idempotent(key) on pay: the expression '#order.(' does not parse");
  }

  @Test
  void aNullValueIsRefused() {
    assertThatThrownBy(() -> ArgumentExpression.parse("null", PAY, "@Idempotent(key)").evaluate(null, args))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("@Idempotent(key): 'null' gave null");
  }
}
