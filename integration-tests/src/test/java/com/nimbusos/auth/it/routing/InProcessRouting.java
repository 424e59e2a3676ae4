package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.contract.Reply;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The routing corpus through an {@link InProcessStack}: every build replays it without a container.
 */
abstract class InProcessRouting extends RoutingCorpusContract {

  private static InProcessStack stack;

  static void start(InProcessStack.Wiring wiring) throws Exception {
    stack = InProcessStack.start(wiring);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
      stack = null;
    }
  }

  @Override
  protected String host() {
    return "localhost";
  }

  @Override
  protected Reply exchange(byte[] request, boolean head) throws IOException {
    return stack.exchange(request, head);
  }

  @Override
  protected List<Audited> audit(String requestId) {
    return stack.audit(requestId);
  }
}
