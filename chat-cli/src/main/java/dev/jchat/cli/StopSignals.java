package dev.jchat.cli;

import java.lang.reflect.Proxy;

/**
 * Turns SIGINT and SIGTERM into a callback instead of an abrupt JVM exit, so the server can close
 * cleanly and the process exits 0. Uses {@code sun.misc.Signal} (module jdk.unsupported, present in
 * every JDK) through reflection, so the build needs no warning for an internal API; where it is
 * missing, a shutdown hook still closes the server.
 */
final class StopSignals {
  private StopSignals() {}

  static void install(Runnable onStop) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object onSignal =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  onStop.run();
                }
                return null;
              });
      for (String name : new String[] {"INT", "TERM"}) {
        Object sig = signal.getConstructor(String.class).newInstance(name);
        signal.getMethod("handle", signal, handler).invoke(null, sig, onSignal);
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // no such class, or the JVM refused a signal (for example under -Xrs)
      Runtime.getRuntime().addShutdownHook(new Thread(onStop));
    }
  }
}
