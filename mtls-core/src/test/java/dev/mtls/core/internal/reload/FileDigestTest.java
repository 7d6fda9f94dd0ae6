package dev.mtls.core.internal.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestTest {
  private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(1)));

  @TempDir Path dir;

  @Test
  void of_seesAChangedFile_andIgnoresATouchThatChangedNothing() throws Exception {
    Path file = write("ca.pem", "first");
    FileDigest first = FileDigest.of(List.of(file));

    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    FileDigest touched = FileDigest.of(List.of(file), first);
    write("ca.pem", "other");
    FileDigest changed = FileDigest.of(List.of(file), touched);

    assertThat(touched).isEqualTo(first);
    assertThat(changed).isNotEqualTo(first).isEqualTo(FileDigest.of(List.of(file)));
  }

  @Test
  void of_doesNotReadAFileAgain_whenItsSizeTimeAndInodeAreUnchanged() throws Exception {
    Path file = write("tls.crt", "before");
    Files.setLastModifiedTime(file, AN_HOUR_AGO);
    FileDigest earlier = FileDigest.of(List.of(file));

    // Same size, same inode, the old time put back: only reading the file could tell.
    Files.writeString(file, "after!", StandardCharsets.US_ASCII);
    Files.setLastModifiedTime(file, AN_HOUR_AGO);

    assertThat(FileDigest.of(List.of(file), earlier)).as("not read again").isEqualTo(earlier);
    assertThat(FileDigest.of(List.of(file))).as("read").isNotEqualTo(earlier);
  }

  @Test
  void of_readsAFileAgain_whenItWasModifiedTooCloseToBeingReadToTrustItsTime() throws Exception {
    Path file = write("tls.crt", "before");
    FileTime justNow = Files.getLastModifiedTime(file);
    FileDigest earlier = FileDigest.of(List.of(file));

    // A file system with a one-second clock shows a rewrite within the second like this.
    Files.writeString(file, "after!", StandardCharsets.US_ASCII);
    Files.setLastModifiedTime(file, justNow);

    assertThat(FileDigest.of(List.of(file), earlier)).isNotEqualTo(earlier);
  }

  @Test
  void of_readsAFileAgain_whenAnotherFileWasRenamedOverIt() throws Exception {
    Path file = write("tls.crt", "before");
    Files.setLastModifiedTime(file, AN_HOUR_AGO);
    FileDigest earlier = FileDigest.of(List.of(file));

    Path next = write(".tls.crt.tmp", "after!");
    Files.setLastModifiedTime(next, AN_HOUR_AGO);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    assertThat(FileDigest.of(List.of(file), earlier)).isNotEqualTo(earlier);
  }

  @Test
  void of_coversEveryVisibleFileOfADirectory_andAFileComingOrGoing() throws Exception {
    write("cas/one.pem", "one");
    Path directory = dir.resolve("cas");
    FileDigest earlier = FileDigest.of(List.of(directory));
    write("cas/.hidden", "ignored");
    assertThat(FileDigest.of(List.of(directory), earlier)).isEqualTo(earlier);

    Path two = write("cas/two.pem", "two");
    FileDigest added = FileDigest.of(List.of(directory), earlier);
    Files.delete(two);

    assertThat(added).isNotEqualTo(earlier);
    assertThat(FileDigest.of(List.of(directory), added)).isEqualTo(earlier);
  }

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
