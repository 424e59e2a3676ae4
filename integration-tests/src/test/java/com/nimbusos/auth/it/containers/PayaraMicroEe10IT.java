package com.nimbusos.auth.it.containers;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** The contract on Payara Micro 6 (Jakarta EE 10) on the build's JDK. */
class PayaraMicroEe10IT extends PayaraMicroContract {

  @BeforeAll
  static void startMicro() throws Exception {
    start(
        "payara-micro-ee10.jar",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "micro-ee10",
        Wiring.WEB_XML.war());
  }
}
