// Where the benchmarks find their Python peers (scikit-learn, XGBoost, LightGBM, NumPy): the
// project's .bench/venv that `npm run bench:setup` installs, else the system's /usr/bin/python3
// (Debian's python3-sklearn). A peer that is missing is reported as skipped, never as a failure.
import { existsSync } from 'node:fs';

const venv = new URL('../.bench/venv/bin/python', import.meta.url).pathname;

export const peerPython = existsSync(venv) ? venv : '/usr/bin/python3';
