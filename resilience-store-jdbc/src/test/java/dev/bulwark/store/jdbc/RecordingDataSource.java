package dev.bulwark.store.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that records every SQL text prepared and every parameter bound on its connections: what the
 * application sends to the database, all of it.
 */
final class RecordingDataSource implements DataSource {

  /** One parameter binding: the setter's name and its value. */
  static final class Binding {
    final String setter;
    final Object value;

    Binding(String setter, Object value) {
      this.setter = setter;
      this.value = value;
    }

    @Override
    public String toString() {
      return setter + "(" + value + ")";
    }
  }

  private final DataSource target;
  final List<String> sql = new CopyOnWriteArrayList<>();
  final List<Binding> bindings = new CopyOnWriteArrayList<>();

  RecordingDataSource(DataSource target) {
    this.target = target;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(target.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(target.getConnection(user, password));
  }

  private Connection wrap(Connection connection) {
    InvocationHandler handler = (proxy, method, args) -> {
      Object result = invoke(connection, method, args);
      if (method.getName().equals("prepareStatement") || method.getName().equals("prepareCall")) {
        sql.add((String) args[0]);
        return recording((PreparedStatement) result);
      }
      if (method.getName().equals("createStatement")) {
        throw new AssertionError("the store sent unprepared SQL");
      }
      return result;
    };
    return (Connection) Proxy.newProxyInstance(
        RecordingDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private PreparedStatement recording(PreparedStatement statement) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().startsWith("set") && args != null && args.length >= 2
          && args[0] instanceof Integer && !method.getName().equals("setQueryTimeout")) {
        bindings.add(new Binding(method.getName(), args[1]));
      }
      return invoke(statement, method, args);
    };
    return (PreparedStatement) Proxy.newProxyInstance(
        RecordingDataSource.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
