package dev.hubble.core.results;

import dev.hubble.core.job.ResultFile;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * One page of a job's result files, in name order.
 *
 * @param files the files of this page
 * @param next the name to list after for the next page; null on the last page
 */
public record ResultPage(List<ResultFile> files, @Nullable String next) {

    public ResultPage {
        files = List.copyOf(files);
    }
}
