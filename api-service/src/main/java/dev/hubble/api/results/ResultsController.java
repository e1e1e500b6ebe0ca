package dev.hubble.api.results;

import dev.hubble.core.config.ResultStoreConditions;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.results.local.LocalResultLinks;
import dev.hubble.core.results.local.LocalResultsProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves result files of the local store through signed links. A link names the job, the file
 * and its expiry, all covered by the signature; nothing outside {@code <dir>/<jobId>/} is ever
 * opened, whatever the path says.
 */
@RestController
@Conditional(ResultStoreConditions.LocalInUse.class)
final class ResultsController {

    private static final Logger log = LoggerFactory.getLogger(ResultsController.class);

    private final LocalResultLinks links;
    private final Path root;

    ResultsController(LocalResultLinks links, LocalResultsProperties properties) {
        this.links = links;
        this.root = properties.dir().toAbsolutePath().normalize();
    }

    /**
     * The file, as an attachment: {@code 403} when the link is invalid or expired, {@code 404}
     * when there is no such file.
     */
    @GetMapping("/v1/jobs/{jobId}/results/{name}")
    ResponseEntity<Resource> download(
            @PathVariable String jobId,
            @PathVariable String name,
            @RequestParam(required = false) @Nullable String expires,
            @RequestParam(required = false) @Nullable String signature) {
        if (!isPlainName(jobId) || !isPlainName(name)) {
            throw new ResultNotFoundException();
        }
        if (expires == null || signature == null || !links.verify(jobId, name, parseLong(expires), signature)) {
            // The name is caller input and the link a credential: neither goes into the log.
            log.info("Refused a result download: link invalid or expired");
            throw new LinkInvalidException();
        }
        Path jobDir = root.resolve(jobId).normalize();
        Path file = jobDir.resolve(name).normalize();
        // Belt and braces: the name checks above already rule out leaving the job's directory.
        if (!jobDir.getParent().equals(root) || !file.getParent().equals(jobDir) || !Files.isRegularFile(file)) {
            throw new ResultNotFoundException();
        }
        log.debug("Serving a result file");
        return ResponseEntity.ok()
                .contentType(mediaType(name))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(name, StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .body(new FileSystemResource(file));
    }

    /** One path segment that names an entry in its directory, not the directory or its parent. */
    private static boolean isPlainName(String name) {
        return !name.isBlank()
                && !name.contains("..")
                && name.indexOf('/') < 0
                && name.indexOf('\\') < 0
                && name.indexOf('\0') < 0
                && !name.equals(".");
    }

    private static MediaType mediaType(String name) {
        int dot = name.lastIndexOf('.');
        return OutputFormat.parse(dot < 0 ? "" : name.substring(dot + 1))
                .map(format -> MediaType.parseMediaType(format.mediaType()))
                .orElse(MediaType.APPLICATION_OCTET_STREAM);
    }

    /** The expiry in epoch seconds; a malformed one is already expired. */
    private static long parseLong(String expires) {
        try {
            return Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
