#!/usr/bin/env bash
# Neurona against TensorFlow, network by network: for each tutorial network, Neurona's training step and
# predict on one or two JDKs, then TensorFlow's on the same network, so that the two sides of each ratio
# are measured minutes apart (this is how the README's performance table was measured).
#   benchmarks/side-by-side.sh
#   JAVAS="java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java" TF_PYTHON=../tfenv/bin/python benchmarks/side-by-side.sh
# JAVAS: the java commands to run (default: java). TF_PYTHON: a Python with tensorflow-cpu 2.21
# (default: ../tfenv/bin/python). BENCH_TF: the anchor script (default: ../shared/anchors/bench_tf.py).
# Prints one line per measurement: the median of 8 one-second JMH iterations after 5 warm-up ones
# (images/s), and bench_tf.py's own lines.
# ROUNDS=n (default 1) measures every line n times, the JDKs and TensorFlow taking turns (JDK a, JDK b,
# TensorFlow, JDK a, ...), then prints each line's median over the rounds with the round values in
# brackets: on a shared VM one run of a line moves by ±15% from the next, and the turns keep a slow
# minute from landing on one side only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVAS="${JAVAS:-java}"
TF_PYTHON="${TF_PYTHON:-$ROOT/../tfenv/bin/python}"
BENCH_TF="${BENCH_TF:-$ROOT/../shared/anchors/bench_tf.py}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
if [[ ! -f "$JAR" ]]; then
  (cd "$ROOT" && mvn -q -B -ntp -pl benchmarks -am package -DskipTests)
fi
for f in "$TF_PYTHON" "$BENCH_TF"; do
  [[ -e "$f" ]] || { echo "side-by-side.sh: $f not found (set TF_PYTHON / BENCH_TF)" >&2; exit 2; }
done

# The median of the measured iterations of one JMH run, in images/s: TrainStepBenchmark's images counter,
# InferenceBenchmark's score (one operation per image).
jmh() { # java, benchmark regex, JMH parameters..., metric (images|ops)
  local java=$1 regex=$2 metric=${*: -1}; shift 2
  local params=("${@:1:$#-1}")
  "$java" -jar "$JAR" "$regex" "${params[@]}" -f 1 -wi 5 -i 8 -w 1 -r 1 2>/dev/null | awk -v m="$metric" '
    /^Iteration/ { it = 1; if (m == "ops") print $3 }
    m != "ops" && $1 == m":" && it { print $2 }' | sort -g | awk '{ v[NR] = $1 }
    END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ROUNDS="${ROUNDS:-1}"
# The median of its arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { x = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf (x >= 100 ? "%.0f" : "%.1f"), x }'
}

# One network and batch: ROUNDS turns of every JDK's lines, then TensorFlow's; then the medians.
# Arguments: net, batch, what ("train+infer" or "train"), bench_tf.py arguments...
measure() {
  local net=$1 batch=$2 what=$3; shift 3
  local -A values=()
  local -a order=()
  add() { [[ -n "${values[$1]+set}" ]] || order+=("$1"); values[$1]+=" $2"; }
  for ((round = 1; round <= ROUNDS; round++)); do
    for java in $JAVAS; do
      if [[ $what == train || $net != flowers ]]; then
        add "neurona $java $net train b$batch" "$(jmh "$java" TrainStepBenchmark -p net=$net -p batch=$batch images)"
      fi
      if [[ $what == train+infer ]]; then
        add "neurona $java $net infer b$batch" "$(jmh "$java" '\.InferenceBenchmark.predict$' -p net=$net ops)"
        add "neurona $java $net infer 4 x b$batch in one call" \
          "$(jmh "$java" '\.InferenceBenchmark.predictBatches$' -p net=$net ops)"
      fi
    done
    while read -r name b kind rate rest; do # "captcha b128: train 2026 img/s (min ..., max ...)"
      add "tensorflow $name $kind ${b%:}" "$rate"
    done < <("$TF_PYTHON" "$BENCH_TF" throughput --models "${TF_NAME[$net]}" --batch "$batch" "$@" 2>&1 | grep "img/s")
  done
  for line in "${order[@]}"; do
    # shellcheck disable=SC2086
    if ((ROUNDS == 1)); then
      echo "$line: $(median ${values[$line]}) images/s"
    else
      echo "$line: $(median ${values[$line]}) images/s [${values[$line]# }]"
    fi
  done
}

declare -A TF_NAME=([mnist-cnn]=mnist99 [mnist-keras]=keras-mnist [captcha]=captcha [flowers]=flowers)
for net in mnist-cnn mnist-keras captcha flowers; do
  measure $net 128 train+infer --infer
done
for net in captcha flowers; do
  measure $net 32 train
done
