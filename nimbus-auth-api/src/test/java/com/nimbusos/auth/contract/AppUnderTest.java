package com.nimbusos.auth.contract;

import java.net.URI;

/** An application a test class runs against in its own JVM: where it listens, and how it stops. */
public interface AppUnderTest extends AutoCloseable {

  /** Where the app listens, ending in {@code /}. */
  URI baseUri();
}
