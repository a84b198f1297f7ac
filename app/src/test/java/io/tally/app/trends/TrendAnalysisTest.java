package io.tally.app.trends;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TrendAnalysisTest {
    private static final long HOUR = 3_600_000L;

    private static long[] times(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * (HOUR / n);
        }
        return t;
    }

    @Test
    void knownSlopeIsFoundThroughNoiseAndOutliers() {
        Random random = new Random(3);
        int n = 240;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 100 + 40.0 * i / n + random.nextGaussian(); // +40 per hour
        }
        v[50] = 500; // a spike must not move a robust slope
        TrendAnalysis.Result r = TrendAnalysis.analyze(times(n), v, HOUR);
        assertThat(r.direction()).isEqualTo("rising");
        assertThat(r.slopePerHour()).isBetween(37.0, 43.0);
        assertThat(r.anomalies()).extracting(TrendAnalysis.Anomaly::value).containsExactly(500.0);
    }

    @Test
    void flatNoiseIsFlatAndFallingIsFalling() {
        Random random = new Random(4);
        int n = 240;
        double[] flat = new double[n];
        double[] falling = new double[n];
        for (int i = 0; i < n; i++) {
            flat[i] = 0.99 + random.nextGaussian() * 0.002;
            falling[i] = 0.99 - 0.2 * i / n + random.nextGaussian() * 0.002;
        }
        TrendAnalysis.Result f = TrendAnalysis.analyze(times(n), flat, HOUR);
        assertThat(f.direction()).isEqualTo("flat");
        assertThat(f.anomalies()).isEmpty();
        assertThat(TrendAnalysis.analyze(times(n), falling, HOUR).direction()).isEqualTo("falling");
    }

    @Test
    void plantedSpikesInAConstantSeriesAreAnomalies() {
        int n = 100;
        double[] v = new double[n];
        java.util.Arrays.fill(v, 40);
        v[10] = 31;
        v[70] = 52;
        TrendAnalysis.Result r = TrendAnalysis.analyze(times(n), v, HOUR);
        assertThat(r.direction()).isEqualTo("flat");
        assertThat(r.anomalies()).extracting(TrendAnalysis.Anomaly::value).containsExactly(31.0, 52.0);
    }

    @Test
    void tooLittleHistoryIsNotFlat() {
        TrendAnalysis.Result r = TrendAnalysis.analyze(new long[] {0, 1000}, new double[] {1, 1}, HOUR);
        assertThat(r.direction()).isNull();
        assertThat(r.reason()).contains("2 points");
    }
}
