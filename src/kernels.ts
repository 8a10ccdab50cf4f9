// Every built-in kernel module. Executors import this once at start-up; kernels register by name.
import './dataframe/kernels.js';
import './dataframe/exchange.kernels.js';
import './stat/summary.kernels.js';
import './dataframe/io/io.kernels.js';
import './dataframe/group.kernels.js';
import './dataframe/join.kernels.js';
import './dataframe/sort.kernels.js';
import './dataframe/window.kernels.js';
import './dataframe/describe.kernels.js';
import './feature/vector-assembler.kernels.js';
import './feature/standard-scaler.kernels.js';
import './feature/string-indexer.kernels.js';
import './feature/one-hot-encoder.kernels.js';
import './evaluation/evaluation.kernels.js';
import './clustering/kmeans.kernels.js';
import './recommendation/als.kernels.js';
