import io.trino.plugin.memory.MemoryPlugin;
import io.trino.plugin.tpch.TpchPlugin;
import io.trino.server.testing.TestingTrinoServer;
import java.io.InputStream;
import java.util.Map;

/**
 * A real Trino 483 for Hubble's tests and local stack: one coordinator that is also its own
 * worker, with the {@code tpch} and {@code memory} catalogs, listening on the given address and
 * port. Trino 483 needs Java 25, so this is a single-file source program that the Java 25
 * launcher compiles itself; the project's own build stays on Java 17:
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp 'lib/*' TrinoDev.java PORT [HOST]
 * </pre>
 *
 * <p>It prints {@code TRINO-DEV READY <url>} once the catalogs are there, and stops when its
 * standard input closes: the process that started it keeps that pipe open, so a parent that
 * dies, even by {@code kill -9}, takes its Trino with it.
 */
public final class TrinoDev {

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TrinoDev PORT [HOST]");
            System.exit(2);
        }
        String port = args[0];
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        long started = System.nanoTime();
        TestingTrinoServer server = TestingTrinoServer.builder()
                .setProperties(Map.of(
                        "http-server.http.port", port,
                        "query.max-memory", "512MB",
                        "query.max-memory-per-node", "512MB",
                        // A query whose client stopped reading (a worker that died) is
                        // abandoned after this long.
                        "query.client.timeout", "2m"))
                .build();
        server.installPlugin(new TpchPlugin());
        server.createCatalog("tpch", "tpch");
        server.installPlugin(new MemoryPlugin());
        server.createCatalog("memory", "memory");
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("TRINO-DEV READY " + server.getBaseUrl() + " in " + millis + " ms");
        System.out.flush();

        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // nothing to read: this only waits for the pipe to close
        }
        server.close();
        System.exit(0);
    }
}
