/**
 * collector/dashboard/ui/ — the dashboard's browser code, bundled by
 * ../build.ts.
 *
 * May import: collector/stats, collector/links and collector/admin (their definitions and answer
 *   types, so that the page computes what the API does), collector/insights
 *   (the forecast's answer types), collector (time zones).
 */
import 'uplot/dist/uPlot.min.css';
import '../styles.css';
import { startDashboard } from './dashboard.ts';

// The dashboard's entry, bundled by collector/dashboard/build.ts.
startDashboard(window);
