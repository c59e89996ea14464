package dev.recsys.personalize.engine.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 records: commas, double-quoted fields with "" escapes and line breaks inside quotes. */
final class CsvReader {

    private final BufferedReader in;
    private long line;
    private long recordStart;

    CsvReader(BufferedReader in) {
        this.in = in;
    }

    /** Line number where the last record returned by {@link #next()} started (1-based). */
    long line() {
        return recordStart;
    }

    /** The next record, or null at the end; blank lines are skipped. */
    String[] next() throws IOException {
        String text;
        do {
            text = in.readLine();
            line++;
            if (text == null) return null;
        } while (text.isBlank());
        long start = line;
        recordStart = start;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (!quoted) break;
                String more = in.readLine();
                line++;
                if (more == null) throw new IOException("unterminated quoted field starting on line " + start);
                field.append('\n');
                text = more;
                i = 0;
                continue;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields.toArray(String[]::new);
    }
}
