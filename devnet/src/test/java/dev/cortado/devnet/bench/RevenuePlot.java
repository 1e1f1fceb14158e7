package dev.cortado.devnet.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart of revenue per window (exact against greedy), drawn with java.awt in headless
 * mode and written as PNG, so the benchmark needs no plotting library.
 */
final class RevenuePlot {
    static final int WIDTH_PX = 900;
    static final int HEIGHT_PX = 450;
    private static final int LEFT_PX = 80;
    private static final int RIGHT_PX = 20;
    private static final int TOP_PX = 50;
    private static final int BOTTOM_PX = 60;
    private static final Color EXACT = new Color(0x1f, 0x77, 0xb4);
    private static final Color GREEDY = new Color(0xff, 0x7f, 0x0e);

    /** One window's bars. */
    record Point(long window, BigInteger exactWei, BigInteger greedyWei) {
    }

    private RevenuePlot() {}

    static void write(List<Point> points, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH_PX, HEIGHT_PX, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, points);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) throw new IOException("no PNG writer in this JDK");
    }

    private static void draw(Graphics2D g, List<Point> points) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH_PX, HEIGHT_PX);
        double max = points.stream().mapToDouble(p -> Math.max(eth(p.exactWei()), eth(p.greedyWei()))).max().orElse(0);
        double top = niceCeiling(max);
        int plotW = WIDTH_PX - LEFT_PX - RIGHT_PX;
        int plotH = HEIGHT_PX - TOP_PX - BOTTOM_PX;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString("Revenue per window: exact solver vs greedy (ETH)", LEFT_PX, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // Horizontal grid with five labelled ticks.
        for (int i = 0; i <= 5; i++) {
            int y = TOP_PX + plotH - plotH * i / 5;
            g.setColor(new Color(0xdd, 0xdd, 0xdd));
            g.drawLine(LEFT_PX, y, LEFT_PX + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3f", top * i / 5), 10, y + 4);
        }
        int n = Math.max(1, points.size());
        double group = (double) plotW / n;
        int bar = (int) Math.max(2, group * 0.35);
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            int x = (int) (LEFT_PX + group * i + group / 2);
            bar(g, x - bar, bar, plotH, eth(p.exactWei()) / top, EXACT);
            bar(g, x, bar, plotH, eth(p.greedyWei()) / top, GREEDY);
            g.setColor(Color.DARK_GRAY);
            String label = Long.toString(p.window());
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP_PX + plotH + 16);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(LEFT_PX, TOP_PX + plotH, LEFT_PX + plotW, TOP_PX + plotH);
        g.drawLine(LEFT_PX, TOP_PX, LEFT_PX, TOP_PX + plotH);
        g.drawString("window", LEFT_PX + plotW / 2 - 20, HEIGHT_PX - 18);
        legend(g, LEFT_PX + plotW - 170, 20, EXACT, "exact (= optimum)");
        legend(g, LEFT_PX + plotW - 170, 36, GREEDY, "greedy");
    }

    private static void bar(Graphics2D g, int x, int width, int plotH, double fraction, Color color) {
        int h = (int) Math.round(plotH * Math.min(1, fraction));
        g.setColor(color);
        g.fillRect(x, TOP_PX + plotH - h, width, h);
    }

    private static void legend(Graphics2D g, int x, int y, Color color, String text) {
        g.setColor(color);
        g.fillRect(x, y - 10, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 18, y);
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v} (so ticks are round). */
    static double niceCeiling(double v) {
        if (v <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) return m * p;
        }
        return 10 * p;
    }

    private static double eth(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).doubleValue();
    }
}
