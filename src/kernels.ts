// Every built-in kernel module. Executors import this once at start-up; kernels register by name.
import './dataframe/kernels.js';
import './dataframe/exchange.kernels.js';
import './stat/summary.kernels.js';
import './dataframe/io/io.kernels.js';
import './dataframe/group.kernels.js';
import './dataframe/join.kernels.js';
import './dataframe/sort.kernels.js';
