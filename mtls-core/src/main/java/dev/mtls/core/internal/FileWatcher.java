package dev.mtls.core.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch service and one daemon thread named {@value #THREAD_NAME} for the file events of
 * every context: a directory watched by several contexts is registered once, and an event in
 * it is passed to each of them. A registration only says "something changed in one of your
 * directories"; what changed is for the reload to find out.
 */
final class FileWatcher {
  /** The name of the watcher thread. */
  static final String THREAD_NAME = "mtls-watch";

  private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);

  private final WatchService service;
  private final Thread thread;
  // guarded by this
  private final Map<WatchKey, List<Registration>> byKey = new HashMap<>();

  private FileWatcher(WatchService service) {
    this.service = service;
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
  }

  /**
   * Opens the watch service and starts the thread.
   *
   * @return the running watcher
   * @throws IOException when the platform offers no watch service
   */
  static FileWatcher start() throws IOException {
    FileWatcher watcher = new FileWatcher(FileSystems.getDefault().newWatchService());
    watcher.thread.start();
    return watcher;
  }

  /**
   * Starts passing events in {@code directories} to {@code onEvent}.
   *
   * @param directories existing directories
   * @param onEvent quick, run on the watcher thread
   * @return the registration, to close when no longer needed
   * @throws IOException when a directory cannot be watched (nothing stays registered then)
   */
  Registration register(Collection<Path> directories, Runnable onEvent) throws IOException {
    Registration registration = new Registration(onEvent);
    synchronized (this) {
      try {
        for (Path directory : directories) {
          // The same directory registered again gives the same key.
          WatchKey key = directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(registration);
          registration.keys.add(key);
        }
      } catch (IOException | RuntimeException e) {
        registration.close();
        throw e;
      }
    }
    return registration;
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        key.pollEvents();
        boolean valid = key.reset();
        List<Registration> targets;
        synchronized (this) {
          targets = List.copyOf(byKey.getOrDefault(key, List.of()));
          if (!valid) {
            // The directory went away: polling stays as the safety net.
            byKey.remove(key);
          }
        }
        for (Registration registration : targets) {
          registration.fire();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  /** Closes the watch service; the thread ends at once. */
  void close() {
    try {
      service.close();
    } catch (IOException e) {
      log.debug("closing the file watch service failed", e);
    }
    thread.interrupt();
  }

  /** One context's directories. */
  final class Registration implements AutoCloseable {
    private final Runnable onEvent;
    private final List<WatchKey> keys = new ArrayList<>();

    private Registration(Runnable onEvent) {
      this.onEvent = onEvent;
    }

    private void fire() {
      try {
        onEvent.run();
      } catch (Throwable t) {
        // whatever a context does wrong, the others still hear their events
        log.error("file event handler failed", t);
      }
    }

    /** Stops passing events; a directory nobody watches any more is unregistered. Idempotent. */
    @Override
    public void close() {
      synchronized (FileWatcher.this) {
        for (WatchKey key : keys) {
          List<Registration> registrations = byKey.get(key);
          if (registrations != null && registrations.remove(this) && registrations.isEmpty()) {
            byKey.remove(key);
            key.cancel();
          }
        }
        keys.clear();
      }
    }
  }
}
