package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeoutThreadsTest {
  private static final Path JDK25_JAVA = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  @Test
  void detectsVirtualThreadsExactlyWhenTheRuntimeHasThem() {
    boolean expected = Runtime.version().feature() >= 21;
    assertThat(TimeoutThreads.usesVirtualThreads()).isEqualTo(expected);
    assertThat(TimeoutThreads.virtualThreadPerTaskExecutor() != null).isEqualTo(expected);
  }

  @Test
  void withoutVirtualThreadsSyncCallsRunOnDaemonPoolThreads() throws Exception {
    assumeTrue(!TimeoutThreads.usesVirtualThreads(), "this runtime has virtual threads; see the JDK 25 test");
    Timeout timeout = Timeout.of("t", java.time.Duration.ofSeconds(30));
    Thread worker = timeout.call(Thread::currentThread);
    assertThat(worker).isNotSameAs(Thread.currentThread());
    assertThat(worker.isDaemon()).isTrue();
    assertThat(worker.getName()).startsWith("bulwark-timeout-");
  }

  @Test
  void onJdk25SyncCallsRunOnVirtualThreadsThatSeeTheCallersContextAndAreInterruptedAtExpiry() throws Exception {
    assumeTrue(Files.isExecutable(JDK25_JAVA),
        "JDK 25 is not installed at " + JDK25_JAVA + ", so the virtual-thread path cannot be exercised here");
    String classPath = location(Timeout.class) + File.pathSeparator + location(VirtualThreadProbe.class);
    Process process = new ProcessBuilder(JDK25_JAVA.toString(), "-cp", classPath, VirtualThreadProbe.class.getName())
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("virtual=true, usesVirtualThreads=true, interrupted=true, context=alice@virtual=true");
  }

  private static String location(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
