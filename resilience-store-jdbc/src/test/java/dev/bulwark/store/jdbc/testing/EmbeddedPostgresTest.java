package dev.bulwark.store.jdbc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The fixture itself: a real server from the Maven artifact, restartable on the same port and data. */
class EmbeddedPostgresTest {

  @Test
  void startsStopsAndComesBackWithItsDataOnTheSamePort() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.launch()) {
      int port = pg.port();
      try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
          rs.next();
          assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(170000);
        }
        s.execute("CREATE TABLE survivor(id int PRIMARY KEY)");
        s.execute("INSERT INTO survivor VALUES (1)");
      }

      pg.crash();
      assertThat(EmbeddedPostgres.listening(port)).isFalse();
      assertThatThrownBy(() -> pg.dataSource().getConnection()).isInstanceOf(SQLException.class);

      pg.start();
      assertThat(pg.port()).isEqualTo(port);
      try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM survivor")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }

      pg.stop();
      pg.start();
      try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM survivor")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }
}
