// The parts of Chart.js the dashboard uses (tree-shaken), in a chunk of its
// own that the dashboard imports when it opens.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export { Chart };
