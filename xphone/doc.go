// Package xphone converts an XPhone UC 2011 ("V4") export into an import
// folder for XPhone Connect 9 ("V9"), the step the vendor's migration guide
// leaves to hand work:
//
//   - users: the V4 users.csv (any of its encodings and separators) becomes
//     the users.csv of the V9 Text connector, column by column through a
//     Mapping (DefaultMapping, or a YAML file read by LoadMapping), with
//     phone numbers in international form (PhoneFormat) and every row the
//     connector would misread skipped and reported (ConvertUsers);
//   - prompts: personal greetings, recorded names and Auto Attendant
//     prompts in any WAV format V4 wrote become G.711 A-law, 8 kHz, mono
//     (ConvertPrompt, built on the subpackages wav, g711 and resample);
//   - the folder: Convert does both for a whole export and writes users.csv,
//     the prompts, prompts/manifest.csv and report.txt into a new folder that
//     appears under its name only when complete; Check does the same work
//     and writes nothing.
//
// Prompts are converted in parallel through the ordered pipeline of package
// transform, so the manifest lists them in export order whatever the number
// of workers. Problems with single rows or files never stop a run: they are
// listed in the Report. Errors at a place in an input are *position.Error.
package xphone
