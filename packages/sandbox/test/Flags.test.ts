/** The `pipedrive-sandbox` command line, parsed without spawning the bin. */
import { describe, expect, it } from "@effect/vitest"
import * as Flags from "../src/internal/Flags.ts"

const invalid = (argv: ReadonlyArray<string>): string => {
  const parsed = Flags.parse(argv)
  if (parsed._tag !== "Invalid") throw new Error(`expected a usage error for ${argv.join(" ")}, got ${JSON.stringify(parsed)}`)
  expect(parsed.message).not.toContain("\n")
  return parsed.message
}

describe("Flags.parse", () => {
  it("reads every flag into the sandbox's options; --seed seeds the faults too", () => {
    expect(
      Flags.parse([
        "--port", "8080",
        "--persons", "100",
        "--seed", "s1",
        "--token", "t",
        "--regular-token", "r1",
        "--regular-token", "r2",
        "--verbose",
        "--rate-limit", "20",
        "--search-rate-limit", "5",
        "--daily-budget", "30000",
        "--fail-rate", "0.05",
        "--drop-before-rate", "0.01",
        "--drop-after-rate", ".02",
        "--slow-rate", "0.1",
        "--slow-ms", "250",
        "--truncate-rate", "0"
      ])
    ).toEqual({
      _tag: "Run",
      options: {
        port: 8080,
        persons: 100,
        seed: "s1",
        token: "t",
        regularTokens: ["r1", "r2"],
        rateLimit: 20,
        searchRateLimit: 5,
        dailyBudget: 30000,
        faults: {
          failRate: 0.05,
          dropBeforeRate: 0.01,
          dropAfterRate: 0.02,
          slowRate: 0.1,
          slowMillis: 250,
          truncateRate: 0,
          seed: "s1"
        },
        verbose: true
      }
    })
  })

  it("leaves out what was not given; faults default to the seed \"sandbox\"", () => {
    expect(Flags.parse([])).toEqual({ _tag: "Run", options: { verbose: false } })
    expect(Flags.parse(["--fail-rate", "1"])).toEqual({
      _tag: "Run",
      options: { faults: { failRate: 1, seed: "sandbox" }, verbose: false }
    })
    expect(Flags.parse(["--help", "--rate-limit", "x"])).toEqual({ _tag: "Help" })
  })

  it("accepts rates that add up to exactly 1, despite binary rounding", () => {
    expect(Flags.parse(["--fail-rate", "0.7", "--drop-after-rate", "0.2", "--truncate-rate", "0.1"])._tag).toBe("Run")
    expect(Flags.parse(["--fail-rate", "0.6", "--slow-rate", "0.3", "--truncate-rate", "0.1"])._tag).toBe("Run")
  })

  it("refuses each bad rate, naming the flag", () => {
    for (const flag of ["fail-rate", "drop-before-rate", "drop-after-rate", "slow-rate", "truncate-rate"]) {
      for (const bad of ["1.5", "-0.1", "abc", "", "0x1", "1e-1", "NaN"]) {
        expect(invalid([`--${flag}=${bad}`])).toBe(`--${flag} must be a number from 0 to 1, got ${JSON.stringify(bad)}`)
      }
    }
  })

  it("refuses rates that add up to more than 1", () => {
    expect(invalid(["--fail-rate", "0.7", "--slow-rate", "0.5", "--drop-before-rate", "0"])).toBe(
      "the fault rates add up to 1.2 (--fail-rate 0.7, --slow-rate 0.5); at most 1"
    )
    expect(invalid(["--drop-before-rate", "0.5", "--drop-after-rate", "0.5", "--truncate-rate", "0.01"])).toMatch(
      /^the fault rates add up to 1\.01 /
    )
  })

  it("refuses bad integers, empty tokens and unknown flags in one line", () => {
    expect(invalid(["--rate-limit", "0"])).toBe("--rate-limit must be an integer from 1 to 1000000, got \"0\"")
    expect(invalid(["--search-rate-limit", "2.5"])).toBe("--search-rate-limit must be an integer from 1 to 1000000, got \"2.5\"")
    expect(invalid(["--daily-budget=-1"])).toMatch(/^--daily-budget must be an integer/)
    // node:util's own complaint, made one line.
    expect(invalid(["--daily-budget", "-1"])).toMatch(/^Option '--daily-budget' argument is ambiguous\. Did you forget/)
    expect(invalid(["--slow-ms", "fast"])).toBe("--slow-ms must be an integer from 0 to 3600000, got \"fast\"")
    expect(invalid(["--port", "70000"])).toMatch(/^--port must be an integer from 0 to 65535/)
    expect(invalid(["--token", " "])).toBe("--token must not be empty")
    expect(invalid(["--regular-token", "a", "--regular-token", ""])).toBe("--regular-token must not be empty")
    expect(invalid(["--frobnicate"])).toMatch(/frobnicate/)
    expect(invalid(["extra"])).toMatch(/extra/)
    expect(invalid(["--rate-limit"])).toMatch(/rate-limit/)
  })
})

describe("Flags.parse: real conditions", () => {
  it("reads --latency-ms A or A-B, --search-lag-ms N and --bulk-update-share P", () => {
    expect(Flags.parse(["--latency-ms", "250", "--search-lag-ms", "30000", "--bulk-update-share", "0.2"])).toEqual({
      _tag: "Run",
      options: { latencyMs: 250, searchLagMs: 30000, bulkUpdateShare: 0.2, verbose: false }
    })
    expect(Flags.parse(["--latency-ms=300-700"])).toEqual({
      _tag: "Run",
      options: { latencyMs: { min: 300, max: 700 }, verbose: false }
    })
    expect(Flags.parse(["--latency-ms", "0", "--search-lag-ms", "0", "--bulk-update-share", "1"])).toEqual({
      _tag: "Run",
      options: { latencyMs: 0, searchLagMs: 0, bulkUpdateShare: 1, verbose: false }
    })
  })

  it("refuses bad values, naming the flag", () => {
    const latency = (bad: string) =>
      `--latency-ms must be A or A-B, whole milliseconds from 0 to 600000 with A at most B, got ${JSON.stringify(bad)}`
    for (const bad of ["700-300", "-5", "1.5", "abc", "", "300-", "1-2-3", "600001", "0-600001", " 300"]) {
      expect(invalid([`--latency-ms=${bad}`])).toBe(latency(bad))
    }
    for (const bad of ["-1", "2.5", "soon", "", "86400001"]) {
      expect(invalid([`--search-lag-ms=${bad}`])).toBe(
        `--search-lag-ms must be an integer from 0 to 86400000, got ${JSON.stringify(bad)}`
      )
    }
    for (const bad of ["1.5", "-0.1", "half", ""]) {
      expect(invalid([`--bulk-update-share=${bad}`])).toBe(
        `--bulk-update-share must be a number from 0 to 1, got ${JSON.stringify(bad)}`
      )
    }
  })
})
