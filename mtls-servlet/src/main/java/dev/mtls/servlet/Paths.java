package dev.mtls.servlet;

import jakarta.servlet.http.HttpServletRequest;

/** The path of a request as the filter matches it, and what makes a path canonical. */
final class Paths {
  private Paths() {}

  /**
   * The path within the web application, decoded and normalised by the container: the servlet
   * path and the path info, which the Servlet specification defines as decoded.
   */
  static String of(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    // Filters usually sit in front of a /* servlet: one of the two is empty, nothing to join.
    String path;
    if (servletPath == null || servletPath.isEmpty()) {
      path = pathInfo == null ? "" : pathInfo;
    } else {
      path = pathInfo == null ? servletPath : servletPath + pathInfo;
    }
    return path.isEmpty() ? "/" : path;
  }

  /**
   * Whether a decoded path is in the form the rules are written in: starts with {@code /}, no
   * empty (but a trailing {@code /}), {@code .} or {@code ..} segments, no {@code ;} (path parameters), {@code \} or
   * control characters, no {@code %} (left over from double encoding). A container that
   * normalises as the Servlet specification says only ever gives such paths; anything else
   * is refused rather than guessed at.
   */
  static boolean canonical(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return false;
    }
    int segmentStart = 1;
    for (int i = 1; i <= path.length(); i++) {
      char c = i < path.length() ? path.charAt(i) : '/';
      if (c == '/') {
        int length = i - segmentStart;
        // A trailing / (a directory) is fine; an empty segment inside (//) is not.
        if (length == 0 && i != path.length()) {
          return false;
        }
        if (length == 1 && path.charAt(segmentStart) == '.') {
          return false;
        }
        if (length == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.') {
          return false;
        }
        segmentStart = i + 1;
      } else if (c == ';' || c == '\\' || c == '%' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
