package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sets the {@link RequestUser} from the {@code X-User} header for the duration of the request thread's work. */
@RestController
@RequestMapping("/e2e/context")
public class ContextController {
  private final ContextClient client;

  public ContextController(ContextClient client) {
    this.client = client;
  }

  @GetMapping("/timeout")
  public String timeout(@RequestHeader(name = "X-User", required = false) String user) {
    set(user);
    try {
      return client.timed();
    } finally {
      RequestUser.CURRENT.remove();
    }
  }

  @GetMapping("/retry")
  public CompletionStage<String> retry(@RequestHeader(name = "X-User", required = false) String user) {
    set(user);
    try {
      return client.retried();
    } finally {
      RequestUser.CURRENT.remove();
    }
  }

  private static void set(String user) {
    if (user == null) {
      RequestUser.CURRENT.remove();
    } else {
      RequestUser.CURRENT.set(user);
    }
  }
}
