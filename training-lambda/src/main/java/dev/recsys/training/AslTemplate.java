package dev.recsys.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline definition ({@code statemachine/training-pipeline.asl.json}) is a Terraform
 * {@code templatefile}. This renders it the same way for the offline runner and the tests:
 * {@code ${name}} becomes the value, {@code $${} becomes a literal {@code ${}, and a variable
 * without a value is an error (as in Terraform).
 */
public final class AslTemplate {

    public static final String RESOURCE = "statemachine/training-pipeline.asl.json";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\$?)\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private AslTemplate() {}

    public static String pipelineTemplate() {
        try (InputStream in = AslTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param vars values inserted into JSON strings; quotes and backslashes are escaped */
    public static String render(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = "${" + m.group(2) + "}";
            } else {
                String v = vars.get(m.group(2));
                if (v == null) throw new IllegalArgumentException("no value for template variable ${" + m.group(2) + "}");
                replacement = v.replace("\\", "\\\\").replace("\"", "\\\"");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
