package dev.hubble.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets in LISTEN state owned by this JVM and its descendant processes (Redis, Python
 * jobs, ...), read from {@code /proc} (Linux only): {@code /proc/<pid>/fd} gives the socket
 * inodes a process holds, {@code /proc/net/tcp} and {@code tcp6} the address of each.
 */
final class ListeningSockets {

    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    private static final String LISTEN = "0A";

    /** One listening socket: the address it is bound to and its port. */
    record Listener(InetAddress address, int port, long inode) {

        boolean wildcard() {
            return address.isAnyLocalAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    private ListeningSockets() {}

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** The listening sockets of this process and of every process it started, directly or not. */
    static Set<Listener> ofThisJvmAndItsChildren() {
        Set<Long> inodes = new HashSet<>();
        Stream.concat(
                        Stream.of(ProcessHandle.current()),
                        ProcessHandle.current().descendants())
                .forEach(process -> inodes.addAll(socketInodes(process.pid())));
        Set<Listener> listeners = new LinkedHashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (Listener listener : listeners(Path.of(table))) {
                if (inodes.contains(listener.inode())) {
                    listeners.add(listener);
                }
            }
        }
        return listeners;
    }

    private static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    Matcher socket =
                            SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (socket.matches()) {
                        inodes.add(Long.parseLong(socket.group(1)));
                    }
                } catch (IOException e) {
                    // the descriptor closed meanwhile
                }
            });
        } catch (NoSuchFileException e) {
            // the process ended meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /** Rows: {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}. */
    private static List<Listener> listeners(Path table) {
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines.stream()
                .skip(1)
                .map(String::trim)
                .map(line -> line.split("\\s+"))
                .filter(columns -> columns.length > 9 && LISTEN.equals(columns[3]))
                .map(columns -> {
                    String[] local = columns[1].split(":");
                    return new Listener(address(local[0]), Integer.parseInt(local[1], 16), Long.parseLong(columns[9]));
                })
                .toList();
    }

    /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
    private static InetAddress address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) new BigInteger(hex.substring(at, at + 2), 16).intValue();
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(hex, e);
        }
    }
}
