package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"acmeconform/mockca"
)

func profilesCmd(_ context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet(env, "profiles",
		"Print the mock CA's policy profiles, the values each applies on a date, or one\n"+
			"profile's document. A profile file given with --check is validated; errors\n"+
			"name the field and the line.",
		"acmeconform profiles",
		"acmeconform profiles --at 2029-03-15      # the cabf schedule on that date",
		"acmeconform profiles --show atlas > mine.yaml",
		"acmeconform profiles --check mine.yaml")
	at := fs.String("at", "", "date the values apply on, e.g. 2027-03-15 (default today)")
	show := fs.String("show", "", "print the YAML document of this built-in profile")
	check := fs.String("check", "", "validate this profile file and print its values")
	if err := parseFlags(fs, args, env.getenv); err != nil {
		return flagExit(env, "profiles", err)
	}
	when := time.Now().UTC()
	if *at != "" {
		d, err := time.Parse(time.DateOnly, *at)
		if err != nil {
			return flagExit(env, "profiles", usagef("--at %q: want a date like 2027-03-15", *at))
		}
		when = d
	}
	switch {
	case *show != "":
		b, err := mockca.ProfileSource(*show)
		if err != nil {
			return flagExit(env, "profiles", usagef("--show: %v", err))
		}
		_, _ = env.stdout.Write(b)
		return exitOK
	case *check != "":
		p, err := mockca.ReadProfileFile(*check)
		if err != nil {
			fmt.Fprintf(env.stderr, "acmeconform profiles: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(env.stdout, "%s: profile %q is valid\n", *check, p.Name)
		return printProfiles(env, []*mockca.Profile{p}, when)
	}
	var ps []*mockca.Profile
	for _, name := range mockca.ProfileNames() {
		p, err := mockca.LoadProfile(name)
		if err != nil {
			fmt.Fprintf(env.stderr, "acmeconform profiles: %v\n", err)
			return exitInfra
		}
		ps = append(ps, p)
	}
	return printProfiles(env, ps, when)
}

// printProfiles prints one row per profile with the values in force at
// when.
func printProfiles(env *cliEnv, ps []*mockca.Profile, when time.Time) int {
	fmt.Fprintf(env.stdout, "Values in force on %s (default profile: %s)\n\n",
		when.Format(time.DateOnly), mockca.DefaultProfileName)
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tEAB\tCHALLENGES\tREUSE\tVALIDITY\tBYPASS\tCSR KEYS\tCAA\tDESCRIPTION")
	for _, base := range ps {
		p := base.At(when)
		eab := "no"
		if p.EABRequired {
			eab = fmt.Sprintf("%s keys, %d uses",
				mockca.FormatProfileDuration(p.MACKeyLifetime), p.MACKeyMaxBindings)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, eab,
			strings.Join(p.ChallengeTypes, ","), mockca.FormatProfileDuration(p.AuthzReuse),
			mockca.FormatProfileDuration(p.CertValidity), orDash(p.SubdomainBypass),
			strings.Join(p.CSRKeyTypes, ","), orDash(p.CAAIdentities), p.Description)
	}
	if err := tw.Flush(); err != nil {
		return exitInfra
	}
	return exitOK
}

func orDash(v []string) string {
	if len(v) == 0 {
		return "-"
	}
	return strings.Join(v, ",")
}
