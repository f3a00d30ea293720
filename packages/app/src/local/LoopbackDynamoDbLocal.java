import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.AbstractLocalDynamoDBServerHandler;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.shared.access.LocalDBClient;
import software.amazon.dynamodb.services.local.shared.access.sqlite.SQLiteDBAccess;

/**
 * DynamoDB Local, listening on one address only (127.0.0.1 unless -Dbind.host says otherwise).
 * The jar has no option for it and its Jetty server listens on every interface, which would
 * expose an unauthenticated database holding password hashes to the whole network. Run in
 * Java's source-file mode by dynamodb-local.ts with the jar on the class path; the arguments
 * are DynamoDB Local's own (-port, -dbPath, -inMemory, -sharedDb).
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("bind.host", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Server server = (Server) field(DynamoDBProxyServer.class, "server").get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost(host);
    }
    // Before the port opens: dynamodb-local.ts reads this line once the emulator answers.
    System.out.println(indexStreamRecordsByStream(proxy));
    proxy.start();
    proxy.join();
  }

  /**
   * Every request on a table with a stream makes DynamoDB Local describe that stream, which asks
   * its SQLite store for the stream's first record: `SELECT MIN(SequenceNumber) FROM us WHERE
   * StreamID = ?`. The records table `us` (every table's stream records, deleted tables' too,
   * kept 24 hours as in AWS) has no index on StreamID, so each such lookup reads through the
   * records of every table the JVM has had. A test run creates a table per test file: one JVM
   * serving the suite spent 80% of its CPU there by the end (jstack samples), and its files ran
   * 5x slower than on a fresh JVM. With this index the lookup is one seek; the data, the answers
   * and the semantics are DynamoDB Local's own. If a later DynamoDB Local is built differently,
   * this only warns (dynamodb-local.ts passes the line on): everything works, more slowly.
   */
  static String indexStreamRecordsByStream(DynamoDBProxyServer proxy) {
    try {
      Object serverHandler = field(DynamoDBProxyServer.class, "serverHandler").get(proxy);
      Object requestHandler = field(AbstractLocalDynamoDBServerHandler.class, "primaryHandler").get(serverHandler);
      Method databaseOf = requestHandler.getClass().getDeclaredMethod("getHandler", String.class);
      databaseOf.setAccessible(true);
      // With -sharedDb (dynamodb-local.ts always passes it) every credential gets the one database.
      Object database = databaseOf.invoke(requestHandler, "shared");
      SQLiteQueue queue = (SQLiteQueue) field(SQLiteDBAccess.class, "queue").get(field(LocalDBClient.class, "dbAccess").get(database));
      SQLiteJob<Object> job = queue.execute(new SQLiteJob<Object>() {
        @Override
        protected Object job(SQLiteConnection connection) throws Throwable {
          connection.exec("CREATE INDEX IF NOT EXISTS us_by_stream ON us (StreamID, SequenceNumber)");
          return null;
        }
      });
      job.complete();
      if (job.getError() != null) throw job.getError();
      return STREAM_INDEX_READY;
    } catch (Throwable error) {
      return "LoopbackDynamoDbLocal: stream records NOT indexed by stream (requests slow down as records pile up): " + error;
    }
  }

  static final String STREAM_INDEX_READY = "LoopbackDynamoDbLocal: stream records indexed by stream";

  static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
