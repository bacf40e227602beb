#!/usr/bin/perl
# xl and the test program load OUR libxenlight and libxlutil (from the
# tree), not the Debian ones that libxen-dev puts in the system path.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use Test::More;
use Cases;

my %progs = ('tools/xl/xl' => $Cases::OUR_XL,
             'json-roundtrip' => "$Cases::DIR/json-roundtrip");
my $libxl = "$Cases::TOP/tools/libxl";
my $libxlu = "$Cases::TOP/tools/libxlu";

for my $p (sort keys %progs) {
    SKIP: {
        skip "$p not built", 2 unless -x $progs{$p};
        my $ldd = `ldd '$progs{$p}' 2>&1`;
        my ($l) = $ldd =~ /libxenlight\.so\S*\s+=>\s+(\S+)/;
        ok(defined $l && Cwd::abs_path($l) =~ /^\Q$libxl\E\//,
           "$p loads libxenlight from tools/libxl")
            or diag($ldd);
        if ($p eq 'tools/xl/xl') {
            my ($u) = $ldd =~ /libxlutil\.so\S*\s+=>\s+(\S+)/;
            ok(defined $u && Cwd::abs_path($u) =~ /^\Q$libxlu\E\//,
               "$p loads libxlutil from tools/libxlu") or diag($ldd);
        } else {
            pass("$p does not need libxlutil");
        }
    }
}
done_testing();
