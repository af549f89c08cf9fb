package org.vcj.testing.fuzz;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Untrusted input for the fuzz properties (jqwik, {@code -Dvcj.fuzz.tries=N} inputs per target, 1000 by default):
 * nasty strings, JSON documents shaped by a target's member names (valid, truncated, with a byte changed) and
 * a bound on how long one input may take.
 */
public final class FuzzInputs {

    /** Values that break parsers and paths: empty, huge numbers, separators, NUL, control and non-BMP characters. */
    private static final List<String> NASTY = List.of("", " ", "-", "--", "=", ":", "/", "//", "/proc", "/sys", "/dev", "..",
            "../..", ".", "0", "-1", "2147483648", "-9223372036854775809", "99999999999999999999", "1e400", "NaN", "0x10",
            "a=b", "=b", "a=", "\u0000", "\n", "\t", "\\", "\"", "'", "%s", "${x}", "\uD83D\uDCA5", "\uFFFF", "null", "true",
            "[]", "{}", "a".repeat(300));

    private FuzzInputs() { }

    /** An arbitrary string: mostly short random text, often one of the nasty values, sometimes one of {@code words}. */
    public static Arbitrary<String> text(List<String> words) {
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(24);
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24);
        return words.isEmpty()
                ? Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, random), net.jqwik.api.Tuple.of(3, ascii),
                        net.jqwik.api.Tuple.of(4, Arbitraries.of(NASTY)))
                : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, random), net.jqwik.api.Tuple.of(2, ascii),
                        net.jqwik.api.Tuple.of(3, Arbitraries.of(NASTY)), net.jqwik.api.Tuple.of(3, Arbitraries.of(words)));
    }

    /** A JSON text whose members are mostly named from {@code keys}: well-formed 3 times in 5, else damaged. */
    public static Arbitrary<String> jsonText(List<String> keys) {
        Arbitrary<String> doc = json(keys, 4);
        Arbitrary<String> truncated = Combinators.combine(doc, Arbitraries.integers().between(0, 400))
                .as((d, n) -> d.substring(0, Math.min(n, d.length())));
        Arbitrary<String> changed = Combinators.combine(doc, Arbitraries.integers().between(0, 400), Arbitraries.chars())
                .as((d, n, c) -> d.isEmpty() ? String.valueOf(c) : d.substring(0, n % d.length()) + c + d.substring(n % d.length() + 1));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, doc), net.jqwik.api.Tuple.of(2, truncated),
                net.jqwik.api.Tuple.of(2, changed));
    }

    /** A well-formed JSON value up to {@code depth} levels deep. */
    public static Arbitrary<String> json(List<String> keys, int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.longs().map(l -> Long.toString(l)),
                Arbitraries.integers().between(-3, 70000).map(i -> Integer.toString(i)),
                Arbitraries.doubles().map(d -> d.isNaN() || d.isInfinite() ? "1.5e300" : Double.toString(d)),
                Arbitraries.of("true", "false", "null", "18446744073709551616", "-0", "1e-400"),
                text(keys).map(FuzzInputs::quoted));
        if (depth == 0) return scalar;
        Arbitrary<String> inner = Arbitraries.lazy(() -> json(keys, depth - 1));
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> key = keys.isEmpty() ? text(keys) : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.of(keys)),
                net.jqwik.api.Tuple.of(2, text(List.of())));
        Arbitrary<String> member = Combinators.combine(key, inner).as((k, v) -> quoted(k) + ":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(2, array),
                net.jqwik.api.Tuple.of(5, object));
    }

    /** {@code s} as a JSON string literal. */
    public static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** A body that may throw. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vcj-fuzz");
        t.setDaemon(true);
        return t;
    });

    /**
     * Runs {@code body} for one input within {@code millis}: its result, or what it threw (unwrapped); an
     * {@link AssertionError} when it hangs.
     */
    public static <T> T bounded(long millis, Body<T> body) throws Exception {
        Future<T> f = RUNNER.submit(body::run);
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("the input took more than " + millis + " ms (a hang)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            if (e.getCause() instanceof Error x) throw x;
            throw e;
        }
    }

    /** Whether {@code message} is one line that says something (a typed error's message). */
    public static boolean oneLine(String message) {
        return message != null && !message.isBlank() && !message.contains("\n");
    }
}
