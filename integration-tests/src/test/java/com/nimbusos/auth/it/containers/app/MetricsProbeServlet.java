package com.nimbusos.auth.it.containers.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metric;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryType;

/**
 * TEST ONLY, in every container WAR: answers how many times a counter or timer of the server's
 * metrics registry counted, as the application itself would read it ({@code GET
 * /it-metrics?name=…&tag=k=v…}, text {@code <library> <count>}), so that the suites see what Nimbus
 * Auth reported: Micrometer's registry on WildFly, MicroProfile Metrics' application registry on
 * Payara. Never ship anything like it.
 */
@WebServlet("/it-metrics")
public class MetricsProbeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String name = request.getParameter("name");
    String[] tags = request.getParameterValues("tag");
    List<String[]> pairs = new ArrayList<>();
    for (String tag : tags == null ? new String[0] : tags) {
      pairs.add(tag.split("=", 2));
    }
    response.setContentType("text/plain");
    response
        .getWriter()
        .write(
            present("io.micrometer.core.instrument.MeterRegistry")
                ? "micrometer " + Micrometer.count(name, pairs)
                : present("org.eclipse.microprofile.metrics.MetricRegistry")
                    ? "microprofile " + MicroProfile.count(name, pairs)
                    : "none -1");
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, MetricsProbeServlet.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Reads the application's Micrometer registry (WildFly's micrometer subsystem). */
  public static final class Micrometer {
    static long count(String name, List<String[]> tags) {
      Search search = CDI.current().select(MeterRegistry.class).get().find(name);
      for (String[] tag : tags) {
        search = search.tag(tag[0], tag[1]);
      }
      if (search.counter() != null) {
        return (long) search.counter().count();
      }
      return search.timer() == null ? -1 : search.timer().count();
    }
  }

  /** Reads MicroProfile Metrics' application registry (Payara). */
  public static final class MicroProfile {
    static long count(String name, List<String[]> tags) {
      MetricRegistry registry = CDI.current().select(MetricRegistry.class, new Application()).get();
      Tag[] metricTags = tags.stream().map(tag -> new Tag(tag[0], tag[1])).toArray(Tag[]::new);
      // Payara's getCounter(MetricID) throws "Invalid metric type"; the map of all metrics does
      // not.
      Metric metric = registry.getMetrics().get(new MetricID(name, metricTags));
      if (metric instanceof Counter counter) {
        return counter.getCount();
      }
      return metric instanceof Timer timer ? timer.getCount() : -1;
    }
  }

  /** {@code @RegistryType(type = APPLICATION)}. */
  @SuppressWarnings("all")
  public static final class Application extends AnnotationLiteral<RegistryType>
      implements RegistryType {
    private static final long serialVersionUID = 1L;

    @Override
    public MetricRegistry.Type type() {
      return MetricRegistry.Type.APPLICATION;
    }
  }
}
