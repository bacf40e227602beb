#!/usr/bin/perl
# The goldens are upstream's: Debian's xl 4.17 (../reference/upstream-xl)
# regenerates every golden/*.json identically. Skips when the Debian
# packages cannot be fetched (no apt network).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use Test::More;
use Cases;

my @cases = Cases::cases();
my ($st, $out, $err) = Cases::run(undef, $Cases::UPSTREAM_XL, 'help');
if ($st >> 8 == 77) {
    plan skip_all => "upstream xl not available: " .
        (split /\n/, $err)[0];
}
plan tests => scalar @cases;
for my $c (@cases) {
    my ($s, $o, $e) = Cases::dryrun($c, $Cases::UPSTREAM_XL);
    my $g = Cases::golden_path($c);
    ok($s == 0 && -f $g && $o eq Cases::slurp($g),
       "$c->{name}: upstream xl gives the golden JSON")
        or diag("status $s\n$e");
}
