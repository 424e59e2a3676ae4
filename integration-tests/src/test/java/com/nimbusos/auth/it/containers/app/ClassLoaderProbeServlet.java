package com.nimbusos.auth.it.containers.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST ONLY, in the redeploy suite's WAR: remembers, weakly, the class loader of each deployment it
 * was part of, and tells how many of the earlier ones the server still keeps. {@code GET
 * /it-class-loaders?register} remembers this deployment's loader; {@code ?collect} forces
 * collections until the earlier loaders are gone or 30 s have passed and answers {@code
 * registered=N alive=M} (M counts earlier deployments only, numbered from 1 after it when there are
 * any: {@code deployments=[1, 7]}); {@code ?hold=ms} keeps its worker thread that long (to make
 * every worker run a request); {@code ?dump=file} writes a heap dump of live objects (diagnosis);
 * {@code ?forget} drops the list. Never ship anything like it.
 *
 * <p>The list lives in the system properties, a JDK {@code Hashtable} that outlives every
 * deployment, and holds JDK types only ({@code CopyOnWriteArrayList} of {@code WeakReference}): the
 * probe itself keeps no class of any deployment reachable.
 */
@WebServlet("/it-class-loaders")
public class ClassLoaderProbeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final String HOLDER = "com.nimbusos.auth.it.deployment-class-loaders";

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain");
    ClassLoader mine = ClassLoaderProbeServlet.class.getClassLoader();
    String answer;
    if (request.getParameter("register") != null) {
      loaders().add(new WeakReference<>(mine));
      answer = "registered=" + loaders().size();
    } else if (request.getParameter("collect") != null) {
      answer = collect(mine);
    } else if (request.getParameter("dump") != null) {
      // Diagnosis only: a heap dump of the live objects, for a path from a GC root to a kept
      // loader.
      // Through the MBean server: WildFly does not show com.sun.management to deployments.
      try {
        java.lang.management.ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new javax.management.ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                "dumpHeap",
                new Object[] {request.getParameter("dump"), true},
                new String[] {"java.lang.String", "boolean"});
      } catch (javax.management.JMException e) {
        throw new IOException(e);
      }
      answer = "dumped";
    } else if (request.getParameter("hold") != null) {
      try {
        Thread.sleep(Long.parseLong(request.getParameter("hold")));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer = "held";
    } else if (request.getParameter("forget") != null) {
      System.getProperties().remove(HOLDER);
      answer = "forgotten";
    } else {
      response.sendError(400);
      return;
    }
    response.getWriter().write(answer);
  }

  private static String collect(ClassLoader mine) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    int alive;
    do {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      alive = 0;
      for (WeakReference<ClassLoader> loader : loaders()) {
        ClassLoader kept = loader.get();
        if (kept != null && kept != mine) {
          alive++;
        }
      }
    } while (alive > 0 && System.nanoTime() < deadline);
    List<Integer> kept = new java.util.ArrayList<>();
    List<WeakReference<ClassLoader>> all = loaders();
    for (int i = 0; i < all.size(); i++) {
      ClassLoader loader = all.get(i).get();
      if (loader != null && loader != mine) {
        kept.add(i + 1);
      }
    }
    StringBuilder threads = new StringBuilder();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      ClassLoader context = thread.getContextClassLoader();
      for (int i = 0; i < all.size(); i++) {
        if (context != null && context != mine && context == all.get(i).get()) {
          threads
              .append(" thread '")
              .append(thread.getName())
              .append("' has deployment ")
              .append(i + 1)
              .append("'s loader as its context loader;");
        }
      }
    }
    return "registered="
        + all.size()
        + " alive="
        + kept.size()
        + (kept.isEmpty() ? "" : " deployments=" + kept)
        + threads;
  }

  @SuppressWarnings("unchecked")
  private static List<WeakReference<ClassLoader>> loaders() {
    synchronized (System.getProperties()) {
      Object list = System.getProperties().get(HOLDER);
      if (list == null) {
        list = new CopyOnWriteArrayList<WeakReference<ClassLoader>>();
        System.getProperties().put(HOLDER, list);
      }
      return (List<WeakReference<ClassLoader>>) list;
    }
  }
}
