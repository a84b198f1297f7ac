package io.tally.app.trends;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Direction from a robust slope, anomalies from a robust z-score.
 * <ul>
 *   <li>slope: Theil–Sen, the median of the slopes of all pairs of points (per hour);</li>
 *   <li>direction: {@code flat} when the slope moves the series by less than {@code FLATNESS} (5 %)
 *       of its typical size (the larger of |median| and 1.4826·MAD) over the window, else
 *       {@code rising} or {@code falling};</li>
 *   <li>anomalies: points whose robust z = 0.6745·(x − median)/MAD exceeds 3.5 in size (Iglewicz and
 *       Hoaglin); when MAD is 0 the mean absolute deviation stands in (z = (x − median)/(1.2533·MeanAD)).</li>
 * </ul>
 */
public final class TrendAnalysis {
    static final double FLATNESS = 0.05;
    static final double ANOMALY_Z = 3.5;
    static final int MIN_POINTS = 3;

    private TrendAnalysis() {
    }

    public record Anomaly(long time, double value, double z) {
    }

    public record Result(String direction, String reason, Double slopePerHour, Double changeRatio, double median,
                         List<Anomaly> anomalies) {
    }

    public static Result analyze(long[] times, double[] values, long windowMillis) {
        int n = times.length;
        if (n < MIN_POINTS) {
            return new Result(null, "only " + n + " point" + (n == 1 ? "" : "s") + " in the window; at least "
                    + MIN_POINTS + " are needed", null, null, n == 0 ? Double.NaN : median(values.clone()), List.of());
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double hours = (times[j] - times[i]) / 3_600_000.0;
                if (hours > 0) {
                    slopes[k++] = (values[j] - values[i]) / hours;
                }
            }
        }
        double slope = median(Arrays.copyOf(slopes, k));
        double median = median(values.clone());
        double[] deviations = new double[n];
        double meanDeviation = 0;
        for (int i = 0; i < n; i++) {
            deviations[i] = Math.abs(values[i] - median);
            meanDeviation += deviations[i] / n;
        }
        double mad = median(deviations.clone());
        double scale = Math.max(Math.abs(median), 1.4826 * mad);
        double moved = Math.abs(slope) * windowMillis / 3_600_000.0;
        String direction = moved <= FLATNESS * scale || (scale == 0 && moved == 0) ? "flat"
                : slope > 0 ? "rising" : "falling";
        Double change = values[0] == 0 ? null : (values[n - 1] - values[0]) / Math.abs(values[0]);
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double z;
            if (mad > 0) {
                z = 0.6745 * (values[i] - median) / mad;
            } else if (meanDeviation > 0) {
                z = (values[i] - median) / (1.2533 * meanDeviation);
            } else {
                z = 0;
            }
            if (Math.abs(z) > ANOMALY_Z) {
                anomalies.add(new Anomaly(times[i], values[i], z));
            }
        }
        return new Result(direction, null, slope, change, median, anomalies);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
