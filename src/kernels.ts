// Every built-in kernel module. Executors import this once at start-up; kernels register by name.
import './dataframe/kernels.js';
import './dataframe/shuffle.kernels.js';
import './stat/summary.kernels.js';
