package dev.hubble.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.job.JobRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The job store in Redis. Each job is a hash {@code <prefix>:job:<id>} with its sequence and its
 * record as JSON; sorted sets {@code <prefix>:jobs} and {@code <prefix>:jobs:source:<source>}
 * index jobs by creation time for listing, and {@code <prefix>:job:<id>:children} the jobs that
 * name a job as their parent, oldest first. A Lua script compares sequences and writes in one
 * step. Finished jobs expire after the configured retention; their index entries are dropped
 * lazily when a listing finds them gone.
 */
public final class RedisJobStore implements JobStore {

    private static final RedisScript<Long> SAVE = RedisScript.of("""
            local current = redis.call('HGET', KEYS[1], 'seq')
            if current and tonumber(current) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'doc', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
            if tonumber(ARGV[5]) > 0 then
              redis.call('EXPIRE', KEYS[1], ARGV[5])
            else
              redis.call('PERSIST', KEYS[1])
            end
            if ARGV[6] ~= '' then
              redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
              redis.call('EXPIRE', KEYS[4], ARGV[6])
            end
            return 1
            """, Long.class);

    private static final int PAGE = 200;

    /** The hash field that holds a job's record. */
    private static final byte[] DOC = "doc".getBytes(StandardCharsets.UTF_8);

    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final StoreProperties properties;

    public RedisJobStore(StringRedisTemplate redis, ObjectMapper json, StoreProperties properties) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
    }

    @Override
    public boolean save(JobRecord record) {
        long ttlSeconds =
                record.state().isTerminal() ? Math.max(1, properties.retention().toSeconds()) : 0;
        String parent = record.spec().parentJobId();
        Long written = redis.execute(
                SAVE,
                List.of(
                        jobKey(record.jobId()),
                        indexKey(),
                        sourceIndexKey(record.spec().source()),
                        childrenKey(parent == null ? record.jobId() : parent)),
                Long.toString(record.sequence()),
                write(record),
                Long.toString(record.createdAt().toEpochMilli()),
                record.jobId(),
                Long.toString(ttlSeconds),
                parent == null
                        ? ""
                        : Long.toString(Math.max(1, properties.retention().toSeconds())));
        return written != null && written == 1L;
    }

    @Override
    public Optional<JobRecord> find(String jobId) {
        Object doc = redis.opsForHash().get(jobKey(jobId), "doc");
        return Optional.ofNullable(doc).map(d -> read((String) d));
    }

    @Override
    public List<JobRecord> list(JobQuery query) {
        String index = query.source() == null ? indexKey() : sourceIndexKey(query.source());
        List<JobRecord> found = new ArrayList<>();
        // Scan newest first, a page at a time, until enough records match; bounded so that a
        // filter matching almost nothing cannot walk an unbounded index.
        long scanLimit = Math.max(10_000L, query.limit() * 50L);
        for (long start = 0; start < scanLimit && found.size() < query.limit(); start += PAGE) {
            var ids = redis.opsForZSet().reverseRange(index, start, start + PAGE - 1);
            if (ids == null || ids.isEmpty()) {
                break;
            }
            List<String> idList = new ArrayList<>(ids);
            List<Object> docs = redis.executePipelined(
                    (RedisCallback<Object>) connection -> {
                        for (String id : idList) {
                            connection.hashCommands().hGet(jobKey(id).getBytes(StandardCharsets.UTF_8), DOC);
                        }
                        return null;
                    },
                    redis.getStringSerializer());
            for (int i = 0; i < idList.size() && found.size() < query.limit(); i++) {
                Object doc = docs.get(i);
                if (doc == null) {
                    redis.opsForZSet().remove(index, idList.get(i));
                    continue;
                }
                JobRecord record = read((String) doc);
                if (matches(record, query)) {
                    found.add(record);
                }
            }
            if (ids.size() < PAGE) {
                break;
            }
        }
        return found;
    }

    @Override
    public Optional<StoredJob> findWithChildren(String jobId) {
        byte[] jobKey = jobKey(jobId).getBytes(StandardCharsets.UTF_8);
        byte[] childrenKey = childrenKey(jobId).getBytes(StandardCharsets.UTF_8);
        List<Object> replies = redis.executePipelined(
                (RedisCallback<Object>) connection -> {
                    connection.hashCommands().hGet(jobKey, DOC);
                    connection.zSetCommands().zRange(childrenKey, 0, -1);
                    return null;
                },
                redis.getStringSerializer());
        Object doc = replies.get(0);
        if (doc == null) {
            return Optional.empty();
        }
        List<String> children = replies.get(1) instanceof Collection<?> ids
                ? ids.stream().map(String.class::cast).toList()
                : List.of();
        return Optional.of(new StoredJob(read((String) doc), children));
    }

    @Override
    public List<String> children(String jobId) {
        var children = redis.opsForZSet().range(childrenKey(jobId), 0, -1);
        return children == null ? List.of() : List.copyOf(children);
    }

    private static boolean matches(JobRecord record, JobQuery query) {
        return (query.state() == null || record.state() == query.state())
                && (query.driver() == null || record.spec().driver().equals(query.driver()));
    }

    private String jobKey(String jobId) {
        return properties.keyPrefix() + ":job:" + jobId;
    }

    private String childrenKey(String jobId) {
        return properties.keyPrefix() + ":job:" + jobId + ":children";
    }

    private String indexKey() {
        return properties.keyPrefix() + ":jobs";
    }

    private String sourceIndexKey(String source) {
        return properties.keyPrefix() + ":jobs:source:" + source;
    }

    private String write(JobRecord record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise job " + record.jobId(), e);
        }
    }

    private JobRecord read(String doc) {
        try {
            return Objects.requireNonNull(json.readValue(doc, JobRecord.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable job record in Redis", e);
        }
    }
}
