import 'uplot/dist/uPlot.min.css';
import '../styles.css';
import { startDashboard } from './dashboard.ts';

// The dashboard's entry, bundled by collector/dashboard/build.ts.
startDashboard(window);
